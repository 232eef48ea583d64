package io.rehearsal.pipelines.evaluation;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.arrays_zip;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.manifest.GatesSection;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.snapshot.SnapshotTables;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.ranking.AvailableItems;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.ItemFacts;
import io.rehearsal.transforms.ranking.ItemStats;
import io.rehearsal.transforms.ranking.MetricDialect;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.ranking.PairedOutcomes;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.ranking.UserEvaluation;
import io.rehearsal.transforms.ranking.UserSlices;
import io.rehearsal.transforms.stats.Guardrail;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.storage.StorageLevel;

/**
 * One segment of an evaluation: both models score the segment's users at the cutoff, their lists, the per-user
 * outcomes and the per-user metrics are written (each replacing that segment's rows), and the segment's users
 * are compared (interleaving, shadow, coverage guardrails). The job gathers the segments' results.
 */
final class SegmentEvaluation {

  /** Told once both models' lists of a segment are written, before anything else of the segment is. */
  interface Scored {
    void accept(List<ModelScoring> scoring, long recommendationsVersion);
  }

  /** What one segment gave besides its scoring: the versions it wrote, its users' outcomes and comparisons. */
  record Result(long usersVersion, long userMetricsVersion,
      List<PairedOutcomes.Outcome> outcomes, SegmentComparison comparison, List<Guardrail.Check> guardrails) {}

  private final TableStore store;
  private final Manifest manifest;
  private final EvaluationSpec spec;
  private final String runId;
  private final Progress progress;
  private final ModelScorer scorer;
  private final Dataset<Row> catalog;

  SegmentEvaluation(TableStore store, Manifest manifest, String runId, Progress progress, ModelScorer scorer,
      Dataset<Row> catalog) {
    this.store = store;
    this.manifest = manifest;
    this.spec = manifest.evaluation();
    this.runId = runId;
    this.progress = progress;
    this.scorer = scorer;
    this.catalog = catalog;
  }

  /** Scores both models for the segment's users, writes their lists and per-user outcomes, and compares them. */
  Result evaluate(String segment, Scored onScored) {
    SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segment);
    Dataset<Row> events = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.EVENTS)
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      return evaluate(segment, snapshot, events, onScored);
    } finally {
      events.unpersist();
    }
  }

  private Result evaluate(String segment, SnapshotIndex.Entry snapshot, Dataset<Row> events, Scored onScored) {
    List<String> metricNames = spec.metricNames();
    List<ModelScoring> scoring = new ArrayList<>();
    List<PairedOutcomes.Outcome> outcomes = new ArrayList<>();
    List<Guardrail.Check> guardrailChecks = new ArrayList<>();
    long recommendationsVersion = -1;
    LocalDate cutoff = spec.cutoff();
    Dataset<Row> users = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.USERS);
    long scoredUsers = users.select("user_id").distinct().count();
    HeldOut heldOut = HeldOut.of(events, spec);
    Dataset<Row> excluded = heldOut.excluded();
    Dataset<Row> truth = heldOut.truth();
    ModelScorer.Segment input = new ModelScorer.Segment(segment, events, users, excluded, cutoff, spec.depth());
    String recommendations = EvaluationTables.path(manifest.warehouse(), manifest.name(),
        EvaluationTables.RECOMMENDATIONS);
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
      recommendationsVersion = commit.version();
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
    onScored.accept(List.copyOf(scoring), recommendationsVersion);
    Dataset<Row> lists = store.read(store.pin(TableSource.delta("recommendations", recommendations)))
        .where(col("segment").equalTo(segment)).persist(StorageLevel.MEMORY_AND_DISK());
    try {
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(catalog.sparkSession().sparkContext());
      ItemFacts facts = ItemFacts.of(events, catalog, spec);
      Broadcast<ItemStats> stats = jsc.broadcast(facts.stats());
      Dataset<Row> slices = UserSlices.of(events, users, truth, facts.head(), spec);
      Dataset<Row> perUser = UserEvaluation.perUser(users, lists, truth, stats, spec)
          .join(slices, Columns.using("user_id"), "left")
          .withColumn("segment", lit(segment)).withColumn("run_id", lit(runId));
      String usersPath = EvaluationTables.path(manifest.warehouse(), manifest.name(), EvaluationTables.USERS);
      CommitInfo usersCommit = store.write(perUser, usersPath, "segment = '" + sql(segment) + "'", List.of(), runId);
      Dataset<Row> written = store.read(TableSource.delta("users", usersPath).atVersion(usersCommit.version()))
          .where(col("segment").equalTo(segment));
      boolean excludeWithoutTruth = spec.dialect().usersWithoutTruth() == MetricDialect.UsersWithoutTruth.EXCLUDED;
      Dataset<Row> evaluated = excludeWithoutTruth ? written.where(col("has_truth")) : written;
      String metricsPath = EvaluationTables.path(manifest.warehouse(), manifest.name(), EvaluationTables.USER_METRICS);
      Column names = array(metricNames.stream().map(functions::lit).toArray(Column[]::new));
      Dataset<Row> long_ = evaluated
          .select(col("segment"), col("user_id"),
              explode(arrays_zip(names.as("metric"), col("baseline"), col("candidate"))).as("m"))
          .select(col("segment"), col("user_id"), col("m.metric").as("metric"), col("m.baseline").as("baseline"),
              col("m.candidate").as("candidate"), col("m.candidate").minus(col("m.baseline")).as("difference"),
              lit(runId).as("run_id"));
      long userMetricsVersion = store.write(long_, metricsPath, "segment = '" + sql(segment) + "'", List.of(), runId)
          .version();
      List<String> sliceNames = spec.slices();
      // In user order: the bootstrap resamples users by position, and the order a table's rows arrive in depends
      // on how it was written (local mode and a cluster differ), so the intervals would too.
      for (Row r : evaluated.orderBy(col("user_id")).select(col("baseline"), col("candidate"), col("interleaving"),
          struct(sliceNames.stream().map(s -> col(s).cast("string")).toArray(Column[]::new)).as("s"))
          .collectAsList()) {
        Map<String, String> sliceValues = new LinkedHashMap<>();
        Row s = r.getStruct(3);
        for (int i = 0; i < sliceNames.size(); i++) {
          sliceValues.put(sliceNames.get(i), s.isNullAt(i) ? null : s.getString(i));
        }
        outcomes.add(new PairedOutcomes.Outcome(segment, PairedOutcomes.doubles(r.getList(0)),
            PairedOutcomes.doubles(r.getList(1)), sliceValues,
            r.isNullAt(2) ? null : r.getString(2)));
      }
      SegmentComparison comparison = SegmentComparison.of(segment, written, lists, spec.interleavingK());
      coverageGuardrails(segment, lists, byRole, guardrailChecks);
      progress.step("%s: %d evaluated users (%d scored), %d with held-out interactions", segment, outcomes.size(),
          scoredUsers, written.where(col("has_truth")).count());
      return new Result(usersCommit.version(), userMetricsVersion, outcomes,
          comparison, guardrailChecks);
    } finally {
      lists.unpersist();
      heldOut.release();
    }
  }

  private void coverageGuardrails(String segment, Dataset<Row> lists, Map<String, ModelScoring> byRole,
      List<Guardrail.Check> checks) {
    GatesSection gates = manifest.gates();
    if (gates.guardrails().isEmpty()) {
      return;
    }
    long available = AvailableItems.at(catalog, spec.cutoff()).count();
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

  private static String sql(String literal) {
    return literal.replace("'", "''");
  }
}
