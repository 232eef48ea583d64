package io.rehearsal.pipelines.evaluation;

import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.GatesSection;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.snapshot.SnapshotTables;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.GroundTruth;
import io.rehearsal.transforms.ranking.ItemStats;
import io.rehearsal.transforms.ranking.MetricDialect;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.ranking.ScoreShift;
import io.rehearsal.transforms.ranking.UserEvaluation;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.MetricGate;
import io.rehearsal.transforms.stats.MultipleTesting;
import io.rehearsal.transforms.stats.PairedComparison;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.math3.distribution.BinomialDistribution;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Offline ranking regression (docs/metrics.md): for every evaluated segment, both models produce lists for
 * the snapshot's users from data before the cutoff; the lists are judged against the held-out horizon per
 * user; the paired per-user differences give per-segment, per-slice and pooled statistics; the declared
 * gates give a verdict per segment and overall. Everything is written to Delta
 * ({@link EvaluationTables}); the verdict is data and the caller decides (the CLI exits 3 on FAIL).
 */
public final class EvaluateJob extends StepJob<EvaluateJob> {

  private String salt;

  /** The snapshot's pseudonymization salt: needed only to match a saved model's or table's production user ids. */
  public EvaluateJob salt(String salt) {
    this.salt = salt;
    return this;
  }

  public EvaluateResult execute() {
    checkGiven("Cannot evaluate");
    if (!manifest.hasEvaluation()) {
      throw RehearsalException.invalidInput("Cannot evaluate manifest " + manifest.file(),
          "the manifest has no 'models', 'evaluation' and 'gates' sections",
          "declare the baseline and candidate models, the evaluation protocol and the gates; see docs/metrics.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-evaluate-" + runId, "evaluate " + manifest.name(),
        () -> run(started));
  }

  /** The per-user outcome the statistics need, collected from the users table. */
  private record Outcome(String segment, double[] baseline, double[] candidate, Map<String, String> slices,
      String interleaving) {}

  private EvaluateResult run(long started) {
    EvaluationSpec spec = manifest.evaluation();
    List<String> metricNames = spec.metricNames();
    Dataset<Row> catalog = store.read(store.pin(manifest.input("items")));
    ModelScorer scorer = ModelScorer.forManifest(spark, store, manifest, salt, catalog);
    Map<String, Long> versions = new LinkedHashMap<>();
    List<ModelScoring> scoring = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    List<SegmentComparison> comparisons = new ArrayList<>();
    List<Guardrail.Check> guardrailChecks = new ArrayList<>();
    progress.step("evaluate: %s vs %s; cutoff %s, horizon %d days, k %s, segments %s", manifest.baseline().describe(),
        manifest.candidate().describe(), spec.cutoff(), spec.horizonDays(), spec.ks(), spec.segments());
    try {
      for (String segment : spec.segments()) {
        evaluateSegment(segment, catalog, scorer, spec, metricNames, versions, scoring, outcomes, comparisons,
            guardrailChecks);
      }
    } finally {
      scorer.release();
    }
    List<MetricStatistic> statistics = statistics(outcomes, spec, metricNames);
    GateEvaluation.Verdict verdict = gate(outcomes, spec, metricNames).withGuardrails(guardrailChecks);
    versions.put(EvaluationTables.METRICS, write(EvaluationTables.METRICS, metricRows(statistics), METRICS_SCHEMA));
    versions.put(EvaluationTables.GATES, write(EvaluationTables.GATES, gateRows(verdict), GATES_SCHEMA));
    versions.put(EvaluationTables.COMPARISON, write(EvaluationTables.COMPARISON, comparisonRows(comparisons),
        COMPARISON_SCHEMA));
    return new EvaluateResult(runId, manifest.baseline().describe(), manifest.candidate().describe(), verdict, scoring,
        statistics, comparisons, versions, EvaluationTables.path(manifest.warehouse(), manifest.name(), ""),
        (System.nanoTime() - started) / 1e9);
  }

  private void evaluateSegment(String segment, Dataset<Row> catalog, ModelScorer scorer, EvaluationSpec spec,
      List<String> metricNames, Map<String, Long> versions, List<ModelScoring> scoring, List<Outcome> outcomes,
      List<SegmentComparison> comparisons, List<Guardrail.Check> guardrailChecks) {
    SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segment);
    Dataset<Row> events = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.EVENTS)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      evaluateSegment(segment, snapshot, events, catalog, scorer, spec, metricNames, versions, scoring, outcomes,
          comparisons, guardrailChecks);
    } finally {
      events.unpersist();
    }
  }

  private void evaluateSegment(String segment, SnapshotIndex.Entry snapshot, Dataset<Row> events, Dataset<Row> catalog,
      ModelScorer scorer, EvaluationSpec spec, List<String> metricNames, Map<String, Long> versions,
      List<ModelScoring> scoring, List<Outcome> outcomes, List<SegmentComparison> comparisons,
      List<Guardrail.Check> guardrailChecks) {
    LocalDate cutoff = spec.cutoff();
    Dataset<Row> users = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.USERS);
    long scoredUsers = users.select("user_id").distinct().count();
    HeldOut heldOut = HeldOut.of(events, spec);
    Dataset<Row> excluded = heldOut.excluded();
    Dataset<Row> truth = heldOut.truth();
    ModelScorer.Segment input = new ModelScorer.Segment(segment, events, users, excluded, cutoff, spec.depth());
    String recommendations = EvaluationTables.path(manifest.warehouse(), manifest.name(), EvaluationTables.RECOMMENDATIONS);
    Map<String, ModelScoring> byRole = new LinkedHashMap<>();
    for (ModelSpec model : List.of(manifest.baseline(), manifest.candidate())) {
      long t0 = System.nanoTime();
      ModelScorer.Scored scored = scorer.score(model, input);
      Dataset<Row> rows = scored.lists().select(lit(segment).as("segment"), lit(model.role()).as("model"),
          lit(model.version()).as("model_version"), col("user_id"), col("item_id"), col("rank"), col("score"),
          col("source"), lit(runId).as("run_id"));
      CommitInfo commit = store.write(rows, recommendations, "segment = '" + sql(segment) + "' AND model = '"
          + model.role() + "'", List.of(), runId);
      double seconds = (System.nanoTime() - t0) / 1e9;
      versions.put(EvaluationTables.RECOMMENDATIONS, commit.version());
      Map<String, Long> bySource = new HashMap<>();
      store.read(TableSource.delta("recommendations", recommendations).atVersion(commit.version()))
          .where(col("segment").equalTo(segment).and(col("model").equalTo(model.role())))
          .groupBy("source").agg(countDistinct("user_id").as("users")).collectAsList()
          .forEach(r -> bySource.put(r.getString(0), r.getLong(1)));
      long own = bySource.getOrDefault("model", 0L);
      long fallback = bySource.getOrDefault("fallback", 0L);
      ModelScoring record = new ModelScoring(segment, model.role(), model.kind().manifestName(), model.version(),
          scoredUsers, own, fallback, scoredUsers - own - fallback, scored.failures(), scored.failureDetail(), seconds);
      byRole.put(model.role(), record);
      scoring.add(record);
      progress.step("%s %s: %d users scored, %d by the model, %d by the fallback, %d without a list, %d failures "
              + "(%.1fs)", segment, model.describe(), scoredUsers, own, fallback, record.usersWithoutList(),
          record.failures(), seconds);
    }
    versions.put(EvaluationTables.SCORING, write(EvaluationTables.SCORING, scoringRows(scoring), SCORING_SCHEMA));
    Dataset<Row> lists = store.read(store.pin(TableSource.delta("recommendations", recommendations)))
        .where(col("segment").equalTo(segment)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      ItemFacts facts = itemFacts(events, catalog, spec);
      Broadcast<ItemStats> stats = jsc.broadcast(facts.stats());
      Dataset<Row> slices = slices(events, users, truth, facts.head(), spec);
      Dataset<Row> perUser = UserEvaluation.perUser(users, lists, truth, stats, spec)
          .join(slices, Columns.using("user_id"), "left")
          .withColumn("segment", lit(segment)).withColumn("run_id", lit(runId));
      String usersPath = EvaluationTables.path(manifest.warehouse(), manifest.name(), EvaluationTables.USERS);
      CommitInfo usersCommit = store.write(perUser, usersPath, "segment = '" + sql(segment) + "'", List.of(), runId);
      versions.put(EvaluationTables.USERS, usersCommit.version());
      Dataset<Row> written = store.read(TableSource.delta("users", usersPath).atVersion(usersCommit.version()))
          .where(col("segment").equalTo(segment));
      boolean excludeWithoutTruth = spec.dialect().usersWithoutTruth() == MetricDialect.UsersWithoutTruth.EXCLUDED;
      Dataset<Row> evaluated = excludeWithoutTruth ? written.where(col("has_truth")) : written;
      String metricsPath = EvaluationTables.path(manifest.warehouse(), manifest.name(), EvaluationTables.USER_METRICS);
      Column names = org.apache.spark.sql.functions.array(metricNames.stream().map(org.apache.spark.sql.functions::lit)
          .toArray(Column[]::new));
      Dataset<Row> long_ = evaluated
          .select(col("segment"), col("user_id"), explode(arrays_zip(names.as("metric"), col("baseline"), col("candidate"))).as("m"))
          .select(col("segment"), col("user_id"), col("m.metric").as("metric"), col("m.baseline").as("baseline"),
              col("m.candidate").as("candidate"), col("m.candidate").minus(col("m.baseline")).as("difference"),
              lit(runId).as("run_id"));
      versions.put(EvaluationTables.USER_METRICS, store.write(long_, metricsPath, "segment = '" + sql(segment) + "'",
          List.of(), runId).version());
      List<String> sliceNames = spec.slices();
      // In user order: the bootstrap resamples users by position, and the order a table's rows arrive in depends
      // on how it was written (local mode and a cluster differ), so the intervals would too.
      for (Row r : evaluated.orderBy(col("user_id")).select(col("baseline"), col("candidate"), col("interleaving"),
          org.apache.spark.sql.functions.struct(sliceNames.stream().map(s -> col(s).cast("string")).toArray(Column[]::new)).as("s"))
          .collectAsList()) {
        Map<String, String> sliceValues = new LinkedHashMap<>();
        Row s = r.getStruct(3);
        for (int i = 0; i < sliceNames.size(); i++) {
          sliceValues.put(sliceNames.get(i), s.isNullAt(i) ? null : s.getString(i));
        }
        outcomes.add(new Outcome(segment, doubles(r.getList(0)), doubles(r.getList(1)), sliceValues,
            r.isNullAt(2) ? null : r.getString(2)));
      }
      comparisons.add(compare(segment, written, lists, spec));
      coverageGuardrails(segment, lists, catalog, spec, byRole, guardrailChecks);
      progress.step("%s: %d evaluated users (%d scored), %d with held-out interactions", segment,
          outcomes.stream().filter(o -> o.segment().equals(segment)).count(), scoredUsers,
          written.where(col("has_truth")).count());
    } finally {
      lists.unpersist();
      heldOut.release();
    }
  }

  /** Item facts for one segment: prices, interaction shares before the cutoff, the head of the catalog, new SKUs. */
  record ItemFacts(ItemStats stats, Set<String> head) {}

  static ItemFacts itemFacts(Dataset<Row> events, Dataset<Row> catalog, EvaluationSpec spec) {
    List<Row> counts = events.where(GroundTruth.beforeCutoff(spec.cutoff())).groupBy("item_id").count()
        .orderBy(col("count").desc(), col("item_id").asc()).collectAsList();
    long total = counts.stream().mapToLong(r -> r.getLong(1)).sum();
    Map<String, Double> share = new HashMap<>();
    counts.forEach(r -> share.put(r.getString(0), (double) r.getLong(1) / total));
    Set<String> head = new HashSet<>();
    long headSize = (long) Math.ceil(counts.size() * spec.headItemsShare());
    for (int i = 0; i < headSize; i++) {
      head.add(counts.get(i).getString(0));
    }
    Map<String, Double> price = new HashMap<>();
    Set<String> newSkus = new HashSet<>();
    Timestamp cutoff = Timestamp.from(spec.cutoff().atStartOfDay(ZoneOffset.UTC).toInstant());
    Timestamp newFrom = Timestamp.from(spec.cutoff().minusDays(spec.newSkuDays()).atStartOfDay(ZoneOffset.UTC).toInstant());
    boolean hasLaunch = Arrays.asList(catalog.columns()).contains("launch_ts");
    Dataset<Row> priced = catalog.select(col("item_id"), col("price").cast(DataTypes.DoubleType),
        hasLaunch ? col("launch_ts").geq(lit(newFrom)).and(col("launch_ts").lt(lit(cutoff))) : lit(false));
    for (Row r : priced.collectAsList()) {
      if (!r.isNullAt(1)) {
        price.put(r.getString(0), r.getDouble(1));
      }
      if (!r.isNullAt(2) && r.getBoolean(2)) {
        newSkus.add(r.getString(0));
      }
    }
    return new ItemFacts(new ItemStats(price, share, 1.0 / (total + 1), newSkus), head);
  }

  /** Per-user slices: new vs returning (bought before the cutoff), cold vs warm, head vs tail taste, country, device. */
  private Dataset<Row> slices(Dataset<Row> events, Dataset<Row> users, Dataset<Row> truth, Set<String> head,
      EvaluationSpec spec) {
    Dataset<Row> history = events.where(GroundTruth.beforeCutoff(spec.cutoff())).groupBy("user_id").agg(
        count(lit(1)).as("__events"), max(col("event_type").equalTo("purchase")).as("__bought"));
    Dataset<Row> headItems = spark.createDataFrame(head.stream().map(i -> RowFactory.create(i)).toList(),
        new StructType().add("item_id", DataTypes.StringType));
    Dataset<Row> taste = truth.join(org.apache.spark.sql.functions.broadcast(headItems.withColumn("__head", lit(1.0))),
            Columns.using("item_id"), "left")
        .groupBy("user_id").agg(avg(coalesce(col("__head"), lit(0.0))).as("__head_share"));
    List<String> columns = Arrays.asList(users.columns());
    return users.select(col("user_id"),
            columns.contains("country") ? col("country").cast("string").as("country") : lit(null).cast("string").as("country"),
            columns.contains("device") ? col("device").cast("string").as("device") : lit(null).cast("string").as("device"))
        .join(history, Columns.using("user_id"), "left")
        .join(taste, Columns.using("user_id"), "left")
        .select(col("user_id"),
            when(coalesce(col("__bought"), lit(false)), lit("returning")).otherwise(lit("new")).as("new_vs_returning"),
            when(coalesce(col("__events"), lit(0L)).leq(spec.coldUserMaxEvents()), lit("cold")).otherwise(lit("warm"))
                .as("cold_vs_warm"),
            when(col("__head_share").isNull(), lit(null).cast("string"))
                .when(col("__head_share").geq(0.5), lit("head")).otherwise(lit("tail")).as("head_vs_tail"),
            col("country"), col("device"));
  }

  private SegmentComparison compare(String segment, Dataset<Row> users, Dataset<Row> lists, EvaluationSpec spec) {
    Row shadow = users.agg(count(lit(1)), avg("overlap"), avg("jaccard"), avg("rbo"), avg("kendall_tau"),
        org.apache.spark.sql.functions.sum(when(col("interleaving").equalTo("CANDIDATE"), 1).otherwise(0)),
        org.apache.spark.sql.functions.sum(when(col("interleaving").equalTo("BASELINE"), 1).otherwise(0)),
        org.apache.spark.sql.functions.sum(when(col("interleaving").equalTo("TIE"), 1).otherwise(0))).first();
    long wins = shadow.isNullAt(5) ? 0 : shadow.getLong(5);
    long losses = shadow.isNullAt(6) ? 0 : shadow.getLong(6);
    long ties = shadow.isNullAt(7) ? 0 : shadow.getLong(7);
    long decided = wins + losses;
    double signP = 1.0;
    if (decided > 0) {
      BinomialDistribution b = new BinomialDistribution(null, (int) decided, 0.5);
      long extreme = Math.min(wins, losses);
      signP = Math.min(1.0, 2 * b.cumulativeProbability((int) extreme));
    }
    List<Row> scores = lists.where(col("rank").leq(spec.interleavingK()).and(col("score").isNotNull()))
        .select("model", "score").collectAsList();
    double[] b = scores.stream().filter(r -> r.getString(0).equals(UserEvaluation.BASELINE)).mapToDouble(r -> r.getDouble(1)).toArray();
    double[] c = scores.stream().filter(r -> r.getString(0).equals(UserEvaluation.CANDIDATE)).mapToDouble(r -> r.getDouble(1)).toArray();
    ScoreShift shift = ScoreShift.of(b, c);
    return new SegmentComparison(segment, spec.interleavingK(), wins, losses, ties,
        decided == 0 ? null : (double) wins / decided, signP, shadow.getLong(0), nullable(shadow, 1),
        nullable(shadow, 2), nullable(shadow, 3), nullable(shadow, 4), shift.ks(), shift.baselineMedian(),
        shift.candidateMedian());
  }

  private void coverageGuardrails(String segment, Dataset<Row> lists, Dataset<Row> catalog, EvaluationSpec spec,
      Map<String, ModelScoring> byRole, List<Guardrail.Check> checks) {
    GatesSection gates = manifest.gates();
    if (gates.guardrails().isEmpty()) {
      return;
    }
    long available = Arrays.asList(catalog.columns()).contains("launch_ts")
        ? catalog.where(col("launch_ts").lt(lit(Timestamp.from(spec.cutoff().atStartOfDay(ZoneOffset.UTC).toInstant()))))
            .count()
        : catalog.count();
    Map<String, Double> coverage = new HashMap<>();
    for (int k : spec.ks()) {
      for (Row r : lists.where(col("rank").leq(k)).groupBy("model").agg(countDistinct("item_id")).collectAsList()) {
        coverage.put(r.getString(0) + "@" + k, available == 0 ? 0 : (double) r.getLong(1) / available);
      }
    }
    ModelScoring base = byRole.get(UserEvaluation.BASELINE);
    ModelScoring cand = byRole.get(UserEvaluation.CANDIDATE);
    for (Guardrail g : gates.guardrails()) {
      double b;
      double c;
      switch (g.metric()) {
        case "scoring_failures" -> {
          b = base.failures();
          c = cand.failures();
        }
        case "fallback_share" -> {
          b = base.fallbackShare();
          c = cand.fallbackShare();
        }
        case "scoring_time_ratio" -> {
          b = 1;
          c = base.seconds() == 0 ? 0 : cand.seconds() / base.seconds();
        }
        default -> {
          String k = g.metric().substring(g.metric().indexOf('@') + 1);
          b = coverage.getOrDefault(UserEvaluation.BASELINE + "@" + k, 0.0);
          c = coverage.getOrDefault(UserEvaluation.CANDIDATE + "@" + k, 0.0);
        }
      }
      checks.add(g.check(segment, b, c));
    }
  }

  private GateEvaluation.Verdict gate(List<Outcome> outcomes, EvaluationSpec spec, List<String> metricNames) {
    GatesSection gates = manifest.gates();
    List<GateEvaluation.Sample> samples = new ArrayList<>();
    for (String segment : spec.segments()) {
      List<Outcome> of = outcomes.stream().filter(o -> o.segment().equals(segment)).toList();
      for (MetricGate g : gates.paired()) {
        int i = metricNames.indexOf(g.metric());
        samples.add(new GateEvaluation.Sample(segment, g.metric(), column(of, i, true), column(of, i, false)));
      }
    }
    return GateEvaluation.evaluate(gates.paired(), samples, gates.correction(), spec.confidence(), spec.bootstrapSeed(),
        spec.resamples());
  }

  /** Per segment, per slice value and pooled over segments, for every metric (slices: gated metrics only). */
  private List<MetricStatistic> statistics(List<Outcome> outcomes, EvaluationSpec spec, List<String> metricNames) {
    List<MetricStatistic> out = new ArrayList<>();
    List<String> gated = manifest.gates().paired().stream().map(MetricGate::metric).distinct().toList();
    for (String segment : spec.segments()) {
      List<Outcome> of = outcomes.stream().filter(o -> o.segment().equals(segment)).toList();
      for (int i = 0; i < metricNames.size(); i++) {
        out.add(new MetricStatistic(segment, MetricStatistic.ALL, MetricStatistic.ALL, metricNames.get(i),
            compare(of, i, spec), null));
      }
      for (String metric : gated) {
        int i = metricNames.indexOf(metric);
        List<MetricStatistic> family = new ArrayList<>();
        for (String slice : spec.slices()) {
          Map<String, List<Outcome>> groups = new TreeMap<>();
          of.stream().filter(o -> o.slices().get(slice) != null)
              .forEach(o -> groups.computeIfAbsent(o.slices().get(slice), v -> new ArrayList<>()).add(o));
          groups.forEach((value, group) -> family.add(new MetricStatistic(segment, slice, value, metric,
              compare(group, i, spec), null)));
        }
        double[] p = family.stream().mapToDouble(m -> m.comparison().pValue()).toArray();
        double[] adjusted = MultipleTesting.adjust(p, MultipleTesting.Method.HOLM);
        for (int j = 0; j < family.size(); j++) {
          MetricStatistic m = family.get(j);
          out.add(new MetricStatistic(m.segment(), m.slice(), m.sliceValue(), m.metric(), m.comparison(),
              Double.isNaN(adjusted[j]) ? null : adjusted[j]));
        }
      }
    }
    for (int i = 0; i < metricNames.size(); i++) {
      out.add(new MetricStatistic(MetricStatistic.POOLED, MetricStatistic.ALL, MetricStatistic.ALL, metricNames.get(i),
          compare(outcomes, i, spec), null));
    }
    return out;
  }

  private static PairedComparison compare(List<Outcome> group, int metric, EvaluationSpec spec) {
    return PairedComparison.of(column(group, metric, true), column(group, metric, false), 0, spec.confidence(),
        spec.bootstrapSeed(), spec.resamples());
  }

  private static double[] column(List<Outcome> group, int metric, boolean baseline) {
    return group.stream().mapToDouble(o -> (baseline ? o.baseline() : o.candidate())[metric]).toArray();
  }

  private static double[] doubles(List<Object> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((Number) values.get(i)).doubleValue();
    }
    return out;
  }

  private static String sql(String literal) {
    return literal.replace("'", "''");
  }

  private long write(String table, List<Row> rows, StructType schema) {
    return store.overwrite(rows, schema, EvaluationTables.path(manifest.warehouse(), manifest.name(), table), runId).version();
  }

  static final StructType SCORING_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("model_version", DataTypes.StringType, false)
      .add("users_scored", DataTypes.LongType, false)
      .add("users_with_model_list", DataTypes.LongType, false)
      .add("users_with_fallback", DataTypes.LongType, false)
      .add("users_without_list", DataTypes.LongType, false)
      .add("failures", DataTypes.LongType, false)
      .add("failure_detail", DataTypes.StringType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false);

  private List<Row> scoringRows(List<ModelScoring> scoring) {
    return scoring.stream().map(s -> RowFactory.create(s.segment(), s.role(), s.kind(), s.version(), s.usersScored(),
        s.usersWithModelList(), s.usersWithFallback(), s.usersWithoutList(), s.failures(), s.failureDetail(),
        s.seconds(), runId)).toList();
  }

  static final StructType METRICS_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("slice", DataTypes.StringType, false)
      .add("slice_value", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("users", DataTypes.LongType, false)
      .add("baseline_mean", DataTypes.DoubleType, true)
      .add("candidate_mean", DataTypes.DoubleType, true)
      .add("difference", DataTypes.DoubleType, true)
      .add("relative_lift", DataTypes.DoubleType, true)
      .add("t_low", DataTypes.DoubleType, true)
      .add("t_high", DataTypes.DoubleType, true)
      .add("bootstrap_low", DataTypes.DoubleType, true)
      .add("bootstrap_high", DataTypes.DoubleType, true)
      .add("confidence", DataTypes.DoubleType, false)
      .add("p_value", DataTypes.DoubleType, true)
      .add("adjusted_p_value", DataTypes.DoubleType, true)
      .add("bootstrap_seed", DataTypes.LongType, false)
      .add("resamples", DataTypes.IntegerType, false)
      .add("run_id", DataTypes.StringType, false);

  private List<Row> metricRows(List<MetricStatistic> statistics) {
    return statistics.stream().map(m -> {
      PairedComparison c = m.comparison();
      return RowFactory.create(m.segment(), m.slice(), m.sliceValue(), m.metric(), c.n(), nan(c.baselineMean()),
          nan(c.candidateMean()), nan(c.meanDifference()), c.relativeLift(), nan(c.tLow()), nan(c.tHigh()),
          nan(c.bootstrapLow()), nan(c.bootstrapHigh()), c.confidence(), nan(c.pValue()), m.adjustedP(), c.seed(),
          c.resamples(), runId);
    }).toList();
  }

  static final StructType GATES_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("role", DataTypes.StringType, false)
      .add("test", DataTypes.StringType, false)
      .add("threshold", DataTypes.StringType, false)
      .add("alpha", DataTypes.DoubleType, true)
      .add("users", DataTypes.LongType, true)
      .add("required_users", DataTypes.LongType, true)
      .add("baseline", DataTypes.DoubleType, true)
      .add("candidate", DataTypes.DoubleType, true)
      .add("difference", DataTypes.DoubleType, true)
      .add("t_low", DataTypes.DoubleType, true)
      .add("t_high", DataTypes.DoubleType, true)
      .add("lower_bound", DataTypes.DoubleType, true)
      .add("non_inferiority_p_value", DataTypes.DoubleType, true)
      .add("harm_p_value", DataTypes.DoubleType, true)
      .add("adjusted_p_value", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("segment_status", DataTypes.StringType, false)
      .add("overall_status", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private List<Row> gateRows(GateEvaluation.Verdict verdict) {
    List<Row> rows = new ArrayList<>();
    for (GateEvaluation.Check c : verdict.checks()) {
      PairedComparison p = c.comparison();
      String threshold = c.gate().relativeMargin()
          ? String.format(java.util.Locale.ROOT, "margin %s%% of baseline (= %.6g)", c.gate().margin() * 100, c.absoluteMargin())
          : String.format(java.util.Locale.ROOT, "margin %.6g", c.absoluteMargin());
      rows.add(RowFactory.create(c.segment(), c.gate().metric(), c.gate().role().name().toLowerCase(java.util.Locale.ROOT),
          GateEvaluation.TEST, threshold, c.gate().alpha(), p.n(),
          c.requiredUsers() == Long.MAX_VALUE ? null : c.requiredUsers(), nan(p.baselineMean()), nan(p.candidateMean()),
          nan(p.meanDifference()), nan(p.tLow()), nan(p.tHigh()), nan(c.lowerBound()), nan(c.nonInferiorityP()),
          nan(p.harmPValue()), nan(c.adjustedHarmP()),
          c.status().name(), c.message(), verdict.bySegment().get(c.segment()).name(), verdict.overall().name(), runId));
    }
    for (Guardrail.Check g : verdict.guardrails()) {
      rows.add(RowFactory.create(g.segment(), g.guardrail().metric(), "guardrail", "bound", g.guardrail().bounds(), null,
          null, null, g.baseline(), g.candidate(), g.candidate() - g.baseline(), null, null, null, null, null, null,
          g.status().name(), g.message(), verdict.bySegment().get(g.segment()).name(), verdict.overall().name(), runId));
    }
    return rows;
  }

  static final StructType COMPARISON_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("depth", DataTypes.IntegerType, false)
      .add("interleaving_wins", DataTypes.LongType, false)
      .add("interleaving_losses", DataTypes.LongType, false)
      .add("interleaving_ties", DataTypes.LongType, false)
      .add("candidate_preference", DataTypes.DoubleType, true)
      .add("sign_test_p_value", DataTypes.DoubleType, false)
      .add("users", DataTypes.LongType, false)
      .add("overlap", DataTypes.DoubleType, true)
      .add("jaccard", DataTypes.DoubleType, true)
      .add("rank_biased_overlap", DataTypes.DoubleType, true)
      .add("kendall_tau", DataTypes.DoubleType, true)
      .add("score_ks", DataTypes.DoubleType, true)
      .add("baseline_score_median", DataTypes.DoubleType, true)
      .add("candidate_score_median", DataTypes.DoubleType, true)
      .add("run_id", DataTypes.StringType, false);

  private List<Row> comparisonRows(List<SegmentComparison> comparisons) {
    return comparisons.stream().map(c -> RowFactory.create(c.segment(), c.depth(), c.wins(), c.losses(), c.ties(),
        c.preference(), c.signTestP(), c.users(), c.overlap(), c.jaccard(), c.rbo(), c.kendallTau(), c.scoreKs(),
        c.baselineScoreMedian(), c.candidateScoreMedian(), runId)).toList();
  }

  private static Double nullable(Row row, int i) {
    return row.isNullAt(i) ? null : row.getDouble(i);
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
