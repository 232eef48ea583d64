package io.rehearsal.pipelines.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.Assert.assertEquals;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.GenerateJob;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.AlsRanker;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.GateEvaluation.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code evaluate} end to end on a generated demo lake (scale 1) with two snapshotted segments, every user
 * kept: an identical candidate, a shuffled one, a saved Spark ML model and an external table with
 * production user ids, on real Delta tables.
 */
public class EvaluateJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private static final String SALT = "evaluate-test-salt";
  private static Path lake;
  private static Path warehouse;
  private static boolean snapshotted;
  private Path folder;

  @Before
  public void lakeAndSnapshot() throws IOException {
    if (lake == null) {
      lake = Files.createTempDirectory("eval-lake");
      warehouse = Files.createTempDirectory("eval-warehouse");
      GenerateJob.builder(spark()).seed(42).scale(1).outDir(lake.toString()).runId("gen").build().execute();
    }
    folder = temp.newFolder("m").toPath();
    if (!snapshotted) {
      new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark()))
          .manifest(manifest("{ kind: popularity, version: a }", "{ kind: popularity, version: b }", ""))
          .salt(SALT).runId("snap").execute();
      snapshotted = true;
    }
  }

  private Path manifestFile(String baseline, String candidate, String extraGates) throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: t\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n"
        + "  - name: members\n    filter: \"loyalty_tier IN ('silver', 'gold', 'platinum')\"\n"
        + "    window: { start: 2025-03-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 3, rate: 1.0 }\n"
        + "  - name: others\n    filter: \"loyalty_tier = 'none'\"\n"
        + "    window: { start: 2025-03-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 4, rate: 1.0 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n"
        + "models:\n  baseline: " + baseline + "\n  candidate: " + candidate + "\n"
        + "evaluation:\n  cutoff: 2025-06-10\n  horizon_days: 21\n  k: [10]\n"
        + "  bootstrap: { resamples: 200, seed: 5 }\n"
        + "gates:\n  primary: { metric: ndcg@10, margin: { relative: 0.02 }, mde: 0.05 }\n"
        + "  secondary:\n    - { metric: recall@10, margin: { relative: 0.05 }, mde: 0.05 }\n" + extraGates;
    Path file = folder.resolve("manifest.yaml");
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private Manifest manifest(String baseline, String candidate, String extraGates) throws IOException {
    return new ManifestLoader().load(manifestFile(baseline, candidate, extraGates));
  }

  private EvaluateResult evaluate(Manifest m, String salt) {
    return new EvaluateJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).salt(salt).runId("ev")
        .execute();
  }

  private Dataset<Row> table(String name) {
    return spark().read().format("delta").load(EvaluationTables.path(warehouse.toString(), "t", name));
  }

  @Test
  public void anIdenticalCandidatePassesWithZeroDeltas() throws IOException {
    EvaluateResult r = evaluate(manifest("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: popularity, version: pop-b, lookback_days: 30 }",
        "  guardrails:\n    - { metric: scoring_failures, max: 0 }\n    - { metric: coverage@10, min_ratio_to_baseline: 1 }\n"),
        null);
    assertEquals(Status.PASS, r.verdict().overall());
    for (GateEvaluation.Check c : r.verdict().checks()) {
      assertEquals(c.message(), 0.0, c.comparison().meanDifference(), 0);
      Assert.assertTrue(c.message(), c.comparison().n() > 100);
    }
    for (MetricStatistic m : r.statistics()) {
      assertEquals(m.segment() + " " + m.metric(), 0.0, m.comparison().meanDifference(), 0);
    }
    for (SegmentComparison c : r.comparisons()) {
      assertEquals(1.0, c.overlap(), 0);
      assertEquals(1.0, c.jaccard(), 0);
      assertEquals(1.0, c.kendallTau(), 0);
    }
    assertEquals(4, r.scoring().size());
    ModelScoring members = r.scoring().get(0);
    assertEquals(members.usersScored(), members.usersWithModelList());
    // The metrics table holds a row per segment × metric and the pooled rows; user_metrics one per user × metric.
    Dataset<Row> perUser = table(EvaluationTables.USER_METRICS);
    assertEquals(0, perUser.where(col("difference").notEqual(0)).count());
    long evaluated = r.statistics().stream().filter(m -> m.segment().equals(MetricStatistic.POOLED)
        && m.metric().equals("ndcg@10")).findFirst().orElseThrow().comparison().n();
    assertEquals(evaluated * 10, perUser.count());
    assertEquals("PASS", table(EvaluationTables.GATES).select("overall_status").distinct().first().getString(0));
  }

  /** The manifest evaluated at k 10 and 50 (lists 50 deep). */
  private Path atTenAndFifty(Path file) throws IOException {
    Files.writeString(file, Files.readString(file).replace("  k: [10]\n", "  k: [10, 50]\n"));
    return file;
  }

  @Test
  public void aShuffledCandidateFailsOnNdcgAndTheCliExitsThree() throws IOException {
    evaluate(new ManifestLoader().load(atTenAndFifty(manifestFile("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: popularity, version: pop-b, lookback_days: 30 }", ""))), null);
    // The candidate: each user's baseline top 50 in a seeded random order per user. The same 50 items, so
    // recall@50 cannot move; what the baseline ranked first now lands anywhere in the 50.
    Dataset<Row> shuffledLists = table(EvaluationTables.RECOMMENDATIONS).where(col("model").equalTo("baseline"))
        .select(col("user_id"), col("item_id"), row_number().over(Window.partitionBy("user_id")
            .orderBy(xxhash64(col("user_id"), col("item_id"), lit(17)), col("item_id"))).as("rank"));
    String shuffled = folder.resolve("shuffled").toString();
    shuffledLists.write().format("delta").save(shuffled);
    Path file = atTenAndFifty(manifestFile("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: table, version: shuffled-1, path: " + shuffled + ", user_ids: snapshot }", ""));
    EvaluateResult r = evaluate(new ManifestLoader().load(file), null);
    assertEquals(r.verdict().checks().toString(), Status.FAIL, r.verdict().overall());
    List<GateEvaluation.Check> failing = r.verdict().checks().stream().filter(c -> c.status() == Status.FAIL).toList();
    Assert.assertTrue(r.verdict().checks().toString(), failing.stream().anyMatch(c -> c.gate().metric().equals("ndcg@10")));
    for (GateEvaluation.Check c : failing) {
      Assert.assertTrue(c.message(), List.of("ndcg@10", "recall@10").contains(c.gate().metric()));
      Assert.assertTrue(c.message(), c.message().startsWith("FAIL " + c.gate().metric() + " in segment '"
          + c.segment() + "': candidate − baseline = -0."));
    }
    for (MetricStatistic m : r.statistics()) {
      if (m.metric().equals("recall@50")) {
        assertEquals(m.segment(), 0.0, m.comparison().meanDifference(), 1e-12);
      }
    }
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED,
        RehearsalCli.execute("evaluate", file.toString(), "--run-id", "cli-ev"));
  }

  @Test
  public void aSavedAlsModelListsExactlyWhatTheBuiltInAlsLists() throws IOException {
    String als = "rank: 8, max_iter: 5, reg_param: 0.1, alpha: 5, seed: 9, lookback_days: 90";
    Manifest builtIn = manifest("{ kind: als, version: als-builtin, " + als + " }",
        "{ kind: als, version: als-builtin-2, " + als + " }", "");
    ModelSpec spec = builtIn.baseline();
    Dataset<Row> events = spark().read().format("delta").load(warehouse.resolve("snapshots/events").toString())
        .where(col("segment").equalTo("members"));
    String saved = folder.resolve("als").toString();
    SavedAlsModel.save(AlsRanker.train(events, LocalDate.of(2025, 6, 10), spec.lookbackDays(), spec.eventWeights(),
        spec.als()), saved);
    EvaluateResult r = evaluate(manifest("{ kind: als, version: als-builtin, " + als + " }",
        "{ kind: spark_ml, version: als-saved, path: " + saved + ", user_ids: snapshot }", ""), null);
    GateEvaluation.Check members = r.verdict().checks().stream()
        .filter(c -> c.segment().equals("members") && c.gate().metric().equals("ndcg@10")).findFirst().orElseThrow();
    assertEquals(0.0, members.comparison().meanDifference(), 0);
    Assert.assertTrue(members.comparison().baselineMean() > 0);
    ModelScoring saved0 = r.scoring().stream().filter(s -> s.segment().equals("members") && s.role().equals("candidate"))
        .findFirst().orElseThrow();
    assertEquals("spark_ml", saved0.kind());
    Assert.assertTrue(saved0.usersWithModelList() > 0);
  }

  @Test
  public void anExternalTableWithProductionIdsIsPseudonymizedAndItsBadRowsCounted() throws IOException {
    // Every lake user gets the lake's three most viewed items; one unknown item and one repeated row are bad.
    Dataset<Row> lakeEvents = spark().read().format("delta").load(lake.resolve("events").toString());
    List<String> top = lakeEvents.groupBy("item_id").count().orderBy(col("count").desc(), col("item_id"))
        .limit(3).collectAsList().stream().map(r -> r.getString(0)).toList();
    Dataset<Row> users = spark().read().format("delta").load(lake.resolve("users").toString()).select("user_id");
    Dataset<Row> recs = users.crossJoin(spark().createDataset(top, org.apache.spark.sql.Encoders.STRING()).toDF("item_id"))
        .withColumn("score", row_number().over(Window.partitionBy("user_id").orderBy("item_id")))
        .unionByName(users.limit(1).select(col("user_id"), lit("i99999").as("item_id"), lit(9).as("score")))
        .unionByName(users.orderBy("user_id").limit(1).select(col("user_id"), lit(top.get(0)).as("item_id"), lit(8).as("score")));
    String external = folder.resolve("external").toString();
    recs.write().format("parquet").save(external);
    String candidate = "{ kind: table, version: vendor-7, path: " + external + ", format: parquet }";
    String guard = "  guardrails:\n    - { metric: scoring_failures, max: 0 }\n";

    RehearsalException noSalt = Assert.assertThrows(RehearsalException.class,
        () -> evaluate(manifest("{ kind: popularity, version: pop-a }", candidate, guard), null));
    assertEquals("Cannot match the candidate model's user ids to the snapshot", noSalt.problem());

    EvaluateResult r = evaluate(manifest("{ kind: popularity, version: pop-a }", candidate, guard), SALT);
    long failures = r.scoring().stream().filter(s -> s.role().equals("candidate")).mapToLong(ModelScoring::failures).sum();
    assertEquals(2, failures);
    for (ModelScoring s : r.scoring()) {
      if (s.role().equals("candidate")) {
        // Every snapshot user matched its production id's rows: nobody needed the fallback.
        assertEquals(s.segment(), s.usersScored(), s.usersWithModelList());
      }
    }
    assertEquals(Status.FAIL, r.verdict().overall());
    Assert.assertTrue(r.verdict().guardrails().stream().anyMatch(g -> g.status() == Status.FAIL
        && g.message().startsWith("FAIL guardrail scoring_failures in segment '")));
  }

  // --- catalog-change simulation and cold-start stress (same lake and snapshots) ---

  private static final String POPULARITY = "{ kind: popularity, version: pop-30, lookback_days: 30 }";
  private static final String SIMULATION = "simulation:\n  segments: [members]\n  scenarios:\n"
      + "    - { name: gadgets, new_items: { category: electronics, count: 5 } }\n"
      + "    - name: doubled\n      price_shift:\n"
      + "        - { category: electronics, percent: 100 }\n        - { category: fashion, percent: 100 }\n"
      + "        - { category: home, percent: 100 }\n        - { category: beauty, percent: 100 }\n"
      + "        - { category: sports, percent: 100 }\n        - { category: toys, percent: 100 }\n"
      + "        - { category: books, percent: 100 }\n        - { category: grocery, percent: 100 }\n"
      + "    - { name: clearance, retire: { top_popular: 5 } }\n"
      + "  cold_start: { users: 20 }\n";

  private SimulationResult simulate(Manifest m) {
    return new SimulationJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).runId("sim").execute();
  }

  @Test
  public void catalogScenariosMoveExactlyWhatTheyChange() throws IOException {
    SimulationResult r = simulate(manifest(POPULARITY, "{ kind: co_visitation, version: cv-5, history: 5 }",
        SIMULATION));
    for (String model : List.of("baseline", "candidate")) {
      SimulationResult.Measure ndcg = r.measure("members", "unchanged", model, "ndcg@10");
      Assert.assertTrue(model + " " + ndcg, ndcg.value() > 0);
      assertEquals(0.0, ndcg.delta(), 0);
      assertEquals(0.0, r.measure("members", "unchanged", model, "list_churn@10").value(), 0);
      // Cold SKUs have no interactions: neither built-in model can surface one, and nothing else moves.
      assertEquals(0.0, r.measure("members", "gadgets", model, "injected_skus_surfaced").value(), 0);
      assertEquals(0.0, r.measure("members", "gadgets", model, "list_churn@10").value(), 0);
      assertEquals(0.0, r.measure("members", "gadgets", model, "ndcg@10").delta(), 0);
      // Every price doubled, the same purchases: revenue doubles exactly, rankings and NDCG do not move.
      SimulationResult.Measure revenue = r.measure("members", "doubled", model, "revenue@10");
      Assert.assertTrue(model + " " + revenue, revenue.unchanged() > 0);
      assertEquals(2 * revenue.unchanged(), revenue.value(), 1e-9 * revenue.value());
      assertEquals(0.0, r.measure("members", "doubled", model, "ndcg@10").delta(), 0);
      assertEquals(0.0, r.measure("members", "doubled", model, "list_churn@10").value(), 0);
      for (String scenario : List.of("unchanged", "gadgets", "doubled", "clearance")) {
        assertEquals(model + " " + scenario, 0.0, r.measure("members", scenario, model, "invalid_lists").value(), 0);
      }
    }
    // The popularity list is everyone's: retiring the 5 most popular items changes every user's top 10.
    SimulationResult.Measure churn = r.measure("members", "clearance", "baseline", "list_churn@10");
    Assert.assertTrue(churn.toString(), churn.value() >= 0.3);
    Assert.assertTrue(r.measure("members", "clearance", "baseline", "ndcg@10").delta() < 0);
    assertEquals(List.of(new SimulationResult.ColdStart("members", "baseline", 20, 20, 0, java.util.Map.of()),
        new SimulationResult.ColdStart("members", "candidate", 20, 20, 20, java.util.Map.of())), r.coldStarts());
    Assert.assertTrue(r.passed());
    Dataset<Row> sensitivity = spark().read().format("delta")
        .load(SimulationTables.path(warehouse.toString(), "t", SimulationTables.SENSITIVITY));
    assertEquals(r.measures().size(), sensitivity.count());
    assertEquals(2, sensitivity.where(col("scenario").equalTo("doubled").and(col("measure").equalTo("revenue@10"))
        .and(col("relative_delta").between(0.999999, 1.000001))).count());
  }

  @Test
  public void aModelWithoutFallbackFailsTheColdStartAndTheCliExitsThree() throws IOException {
    Path file = manifestFile(POPULARITY, "{ kind: co_visitation, version: cv-5, history: 5, fallback: none }",
        "simulation:\n  segments: [members]\n  scenarios:\n"
            + "    - { name: gadgets, new_items: { category: toys, count: 1, price: 9.99 } }\n"
            + "  cold_start: { users: 12 }\n");
    SimulationResult r = simulate(new ManifestLoader().load(file));
    assertEquals(new SimulationResult.ColdStart("members", "candidate", 12, 0, 0, java.util.Map.of("no list", 12L)),
        r.coldStarts().get(1));
    SimulationResult.Check check = r.checks().get(1);
    assertEquals(12, check.coldStartFailures());
    Assert.assertFalse(check.passed());
    Assert.assertTrue(r.checks().get(0).passed());
    Assert.assertFalse(r.passed());
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED, RehearsalCli.execute("simulate", file.toString(), "--run-id", "cli-sim"));
  }

  @Test
  public void anUnknownScenarioCategoryIsRejectedBeforeAnythingIsWritten() throws IOException {
    Path file = manifestFile(POPULARITY, POPULARITY, "simulation:\n  scenarios:\n"
        + "    - { name: sale, price_shift: { category: garden, percent: -10 } }\n");
    Files.writeString(file, Files.readString(file).replace("name: t\n", "name: bad\n"));
    Manifest m = new ManifestLoader().load(file);
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> simulate(m));
    assertEquals("Cannot simulate scenario 'sale' of manifest " + m.file() + ": simulation.scenarios[0].price_shift[0]"
        + ".category 'garden' is not a category of the items table (categories: [beauty, books, electronics, fashion, "
        + "grocery, home, sports, toys]). Fix: use one of the catalog's categories", e.getMessage());
    Assert.assertFalse(Files.exists(Path.of(SimulationTables.path(warehouse.toString(), "bad", ""))));
  }

  @Test
  public void anExternalTableCanSurfaceAnInjectedSkuAndFailsWhereItIsUnknown() throws IOException {
    // A vendor's table that already ranks the SKU the scenario injects first, for every member.
    Dataset<Row> members = spark().read().format("delta").load(warehouse.resolve("snapshots/users").toString())
        .where(col("segment").equalTo("members")).select("user_id");
    long users = members.count();
    String table = folder.resolve("vendor").toString();
    members.select(col("user_id"), lit("sim-gadgets-toys-0001").as("item_id"), lit(1).as("rank"))
        .write().format("delta").save(table);
    SimulationResult r = simulate(manifest(POPULARITY, "{ kind: table, version: vendor-1, path: " + table
        + ", user_ids: snapshot }", "simulation:\n  segments: [members]\n  scenarios:\n"
        + "    - { name: gadgets, new_items: { category: toys, count: 1 } }\n  cold_start: { users: 0 }\n"));
    // Unchanged catalog: the SKU does not exist, so every row is rejected and counted; the fallback serves them.
    assertEquals((double) users, r.measure("members", "unchanged", "candidate", "invalid_lists").value(), 0);
    assertEquals(0.0, r.measure("members", "unchanged", "candidate", "injected_skus_surfaced").value(), 0);
    // With the SKU injected, it is valid and every member sees it.
    assertEquals(0.0, r.measure("members", "gadgets", "candidate", "invalid_lists").value(), 0);
    assertEquals(1.0, r.measure("members", "gadgets", "candidate", "injected_skus_surfaced").value(), 0);
    assertEquals((double) users, r.measure("members", "gadgets", "candidate", "short_lists").value(), 0);
    assertEquals(1.0, r.measure("members", "gadgets", "candidate", "list_churn@10").value(), 0);
    assertEquals(0.0, r.measure("members", "gadgets", "baseline", "injected_skus_surfaced").value(), 0);
    assertEquals(List.of(), r.coldStarts());
    SimulationResult.Check candidate = r.checks().get(1);
    assertEquals(users, candidate.scenarioFailures());
    Assert.assertFalse(candidate.passed());
  }
}
