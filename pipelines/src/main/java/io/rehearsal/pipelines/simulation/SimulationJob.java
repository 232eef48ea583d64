package io.rehearsal.pipelines.simulation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;

import io.rehearsal.pipelines.evaluation.HeldOut;
import io.rehearsal.pipelines.evaluation.ModelScorer;
import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.SimulationSection;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.snapshot.SnapshotTables;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.ranking.AvailableItems;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.ItemFacts;
import io.rehearsal.transforms.ranking.ItemStats;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.ranking.UserEvaluation;
import io.rehearsal.transforms.simulation.CatalogChanges;
import io.rehearsal.transforms.simulation.CatalogScenario;
import io.rehearsal.transforms.simulation.ListValidity;
import io.rehearsal.transforms.simulation.ScenarioMeasures;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Catalog-change simulation and cold-start stress (docs/simulation.md). For every simulated segment, both
 * models score the snapshot's users at the evaluation cutoff once with the catalog as it is and once per
 * declared scenario (new cold SKUs, category price shifts, retired items); each scenario's lists are judged
 * against the same held-out horizon (purchase values follow the price shift) and compared with the
 * unchanged lists: metric deltas, list churn, how many injected SKUs each model surfaces. Then synthetic
 * users without any history are scored: each model (with its fallback) must give every one a valid list.
 * Failures are counted per model and gated by {@code cold_start.max_failures}; the verdict is data and the
 * CLI exits 3 when a model fails.
 */
public final class SimulationJob extends StepJob<SimulationJob> {

  private String salt;

  /** The snapshot's pseudonymization salt: needed only for models that use production user ids. */
  public SimulationJob salt(String salt) {
    this.salt = salt;
    return this;
  }

  public SimulationResult execute() {
    checkGiven("Cannot simulate");
    if (!manifest.hasSimulation()) {
      throw RehearsalException.invalidInput("Cannot simulate manifest " + manifest.file(),
          "the manifest has no 'simulation' section",
          "declare simulation: { scenarios: [ { name, new_items | price_shift | retire } ] }; see docs/simulation.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-simulate-" + runId, "simulate " + manifest.name(),
        () -> run(started));
  }

  private SimulationResult run(long started) {
    EvaluationSpec spec = manifest.evaluation();
    SimulationSection sim = manifest.simulation();
    int depth = spec.depth();
    int k = spec.ks().stream().mapToInt(Integer::intValue).max().orElse(depth);
    Dataset<Row> catalog = store.read(store.pin(manifest.input("items"))).persist(StorageLevel.MEMORY_AND_DISK());
    ModelScorer scorer = ModelScorer.forManifest(spark, store, manifest, salt, catalog);
    progress.step("simulate: %s vs %s at cutoff %s; segments %s; scenarios %s; cold start %d users",
        manifest.baseline().describe(), manifest.candidate().describe(), spec.cutoff(), sim.segments(),
        sim.scenarios().stream().map(CatalogScenario::name).toList(), sim.coldStartUsers());
    List<ScenarioCatalog> scenarios = ScenarioCatalog.resolve(manifest, catalog, scorer, progress);
    List<SimulationResult.Measure> measures = new ArrayList<>();
    List<SimulationResult.ColdStart> coldStarts = new ArrayList<>();
    List<SimulationResult.Check> checks = new ArrayList<>();
    try {
      for (String segment : sim.segments()) {
        simulateSegment(segment, catalog, scenarios, scorer, spec, depth, k, measures, coldStarts, checks);
      }
    } finally {
      scorer.release();
      scenarios.forEach(r -> r.catalog().unpersist());
      catalog.unpersist();
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    Function<String, String> modelVersions = role -> role.equals(UserEvaluation.BASELINE)
        ? manifest.baseline().version() : manifest.candidate().version();
    versions.put(SimulationTables.SENSITIVITY, write(SimulationTables.SENSITIVITY,
        SimulationTables.sensitivityRows(measures, modelVersions, runId), SimulationTables.SENSITIVITY_SCHEMA));
    versions.put(SimulationTables.COLD_START, write(SimulationTables.COLD_START,
        SimulationTables.coldStartRows(coldStarts, modelVersions, runId), SimulationTables.COLD_START_SCHEMA));
    versions.put(SimulationTables.CHECKS, write(SimulationTables.CHECKS, SimulationTables.checkRows(checks, runId),
        SimulationTables.CHECKS_SCHEMA));
    return new SimulationResult(runId, sim.coldStartUsers(), sim.maxFailures(), measures, coldStarts, checks, versions,
        SimulationTables.path(manifest.warehouse(), manifest.name(), ""), (System.nanoTime() - started) / 1e9);
  }

  private void simulateSegment(String segment, Dataset<Row> catalog, List<ScenarioCatalog> scenarios,
      ModelScorer scorer,
      EvaluationSpec spec, int depth, int k, List<SimulationResult.Measure> measures,
      List<SimulationResult.ColdStart> coldStarts, List<SimulationResult.Check> checks) {
    SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segment);
    Dataset<Row> events = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.EVENTS)
        .persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> users = FeatureInputs.snapshotTable(store, manifest.warehouse(), snapshot, SnapshotTables.USERS)
        .select("user_id").distinct().persist(StorageLevel.MEMORY_AND_DISK());
    HeldOut heldOut = HeldOut.of(events, spec);
    Dataset<Row> excluded = heldOut.excluded();
    Dataset<Row> truth = heldOut.truth();
    List<ModelSpec> models = List.of(manifest.baseline(), manifest.candidate());
    Map<String, Long> scenarioFailures = new HashMap<>();
    Map<String, Dataset<Row>> unchangedLists = new HashMap<>();
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      ItemFacts facts = ItemFacts.of(events, catalog, spec);
      Map<String, Double> unchangedValues = new HashMap<>();
      for (ScenarioCatalog r : scenarios) {
        ModelScorer scenarioScorer = scorer.withCatalog(r.catalog());
        Dataset<Row> scenarioExcluded = excluded;
        if (!r.retired().isEmpty()) {
          Dataset<Row> retired = spark.createDataFrame(r.retired().stream().map(RowFactory::create).toList(),
              new StructType().add("item_id", DataTypes.StringType));
          Dataset<Row> unavailable = users.crossJoin(org.apache.spark.sql.functions.broadcast(retired));
          scenarioExcluded = excluded == null ? unavailable : excluded.unionByName(unavailable);
        }
        ModelScorer.Segment input = new ModelScorer.Segment(segment, events, users, scenarioExcluded, spec.cutoff(), depth);
        Dataset<Row> available = AvailableItems.at(r.catalog(), spec.cutoff());
        Dataset<Row> both = null;
        Map<String, Dataset<Row>> byModel = new LinkedHashMap<>();
        Map<String, Long> served = new HashMap<>();
        for (ModelSpec model : models) {
          ModelScorer.Scored scored = scenarioScorer.score(model, input);
          Dataset<Row> lists = scored.lists().withColumn("model", lit(model.role()));
          if (lists.storageLevel().equals(StorageLevel.NONE())) {
            // A built-in model ignores the catalog: a scenario without retirements gives the very same plan.
            lists.persist(StorageLevel.MEMORY_AND_DISK());
            cached.add(lists);
          }
          byModel.put(model.role(), lists);
          both = both == null ? lists : both.unionByName(lists);
          Map<String, Long> problems = ListValidity.problems(users, lists, available, depth);
          long invalid = problems.entrySet().stream().filter(e -> !e.getKey().equals(ListValidity.SHORT_LIST))
              .mapToLong(Map.Entry::getValue).sum();
          scenarioFailures.merge(model.role(), invalid + scored.failures(), Long::sum);
          served.put(model.role() + "|failures", invalid + scored.failures());
          served.put(model.role() + "|short", problems.getOrDefault(ListValidity.SHORT_LIST, 0L));
          if (r.scenario().name().equals(CatalogScenario.UNCHANGED)) {
            unchangedLists.put(model.role(), lists);
          }
        }
        Map<String, Double> values = evaluate(users, both, truth, facts, r, spec);
        for (ModelSpec model : models) {
          String role = model.role();
          Map<String, Double> mine = new LinkedHashMap<>();
          values.forEach((key, v) -> {
            if (key.startsWith(role + "|")) {
              mine.put(key.substring(role.length() + 1), v);
            }
          });
          mine.putAll(ScenarioMeasures.listMeasures(byModel.get(role), unchangedLists.get(role), r.injected(), k));
          mine.put("invalid_lists", (double) served.get(role + "|failures"));
          mine.put("short_lists", (double) served.get(role + "|short"));
          for (Map.Entry<String, Double> m : mine.entrySet()) {
            String key = role + "|" + m.getKey();
            if (r.scenario().name().equals(CatalogScenario.UNCHANGED)) {
              unchangedValues.put(key, m.getValue());
            }
            measures.add(new SimulationResult.Measure(segment, r.scenario().name(), role, m.getKey(), m.getValue(),
                unchangedValues.getOrDefault(key, m.getValue())));
          }
        }
        progress.step("%s %s: %s", segment, r.scenario().name(), summaryLine(measures, segment, r.scenario().name(), k));
      }
      for (ModelSpec model : models) {
        SimulationResult.ColdStart cold = coldStart(segment, model, events, scorer, catalog, spec, depth);
        if (cold != null) {
          coldStarts.add(cold);
          progress.step("%s cold start, %s: %d of %d synthetic users got a valid list (%d by the fallback)%s", segment,
              model.role(), cold.validLists(), cold.users(), cold.byFallback(),
              cold.problems().isEmpty() ? "" : "; " + cold.problems());
        }
        checks.add(new SimulationResult.Check(segment, model.role(), cold == null ? 0 : cold.failures(),
            scenarioFailures.getOrDefault(model.role(), 0L), manifest.simulation().maxFailures()));
      }
    } finally {
      cached.forEach(Dataset::unpersist);
      heldOut.release();
      users.unpersist();
      events.unpersist();
    }
  }

  private String summaryLine(List<SimulationResult.Measure> measures, String segment, String scenario, int k) {
    StringBuilder sb = new StringBuilder();
    for (String role : List.of(UserEvaluation.BASELINE, UserEvaluation.CANDIDATE)) {
      SimulationResult.Measure m = measures.stream().filter(x -> x.segment().equals(segment)
          && x.scenario().equals(scenario) && x.model().equals(role) && x.measure().startsWith("ndcg@")).findFirst()
          .orElse(null);
      if (m != null) {
        sb.append(sb.length() == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s %s %.4f (%+.4f)", role,
            m.measure(), m.value(), m.delta()));
      }
    }
    return sb.toString();
  }

  /** Mean of every per-user metric for both models (keys model|metric) in one scenario, as evaluate computes them. */
  private Map<String, Double> evaluate(Dataset<Row> users, Dataset<Row> both, Dataset<Row> truth,
      ItemFacts facts, ScenarioCatalog r, EvaluationSpec spec) {
    Set<String> newSkus = new HashSet<>(facts.stats().newSkus());
    newSkus.addAll(r.injected());
    ItemStats stats = new ItemStats(r.prices(), facts.stats().popularityShare(), facts.stats().floorShare(), newSkus);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    return ScenarioMeasures.metricMeans(users, both, CatalogChanges.shiftTruth(truth, r.catalog(), r.scenario()),
        jsc.broadcast(stats), spec);
  }

  /** Synthetic users without history (ids cold-start-00001 …) scored by one model; null when disabled. */
  private SimulationResult.ColdStart coldStart(String segment, ModelSpec model, Dataset<Row> events, ModelScorer scorer,
      Dataset<Row> catalog, EvaluationSpec spec, int depth) {
    int n = manifest.simulation().coldStartUsers();
    if (n == 0) {
      return null;
    }
    Dataset<Row> users = spark.range(1, n + 1).select(format_string("cold-start-%05d", col("id")).as("user_id"));
    ModelScorer.Scored scored = scorer.score(model, new ModelScorer.Segment(segment, events, users, null, spec.cutoff(),
        depth));
    Dataset<Row> lists = scored.lists().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Map<String, Long> problems = ListValidity.problems(users, lists, AvailableItems.at(catalog, spec.cutoff()), depth);
      long byFallback = lists.where(col("source").equalTo("fallback")).select("user_id").distinct().count();
      long invalid = problems.values().stream().mapToLong(Long::longValue).sum();
      return new SimulationResult.ColdStart(segment, model.role(), n, n - invalid, byFallback, problems);
    } finally {
      lists.unpersist();
    }
  }

  private long write(String table, List<Row> rows, StructType schema) {
    return store.overwrite(rows, schema, SimulationTables.path(manifest.warehouse(), manifest.name(), table), runId)
        .version();
  }
}
