package io.rehearsal.pipelines.manifest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.fail;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.testing.TinyLake;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.Before;
import org.junit.Assume;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/** Every kind of broken manifest `validate` must reject, with its exact message. */
public class ManifestValidationTest extends SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static Path lake;

  private static final String VALID = String.join("\n",
      "apiVersion: rehearsal/v1",
      "name: tiny",
      "lake: LAKE",
      "inputs:",
      "  events: { path: events }",
      "  users: { path: users }",
      "  items: { path: items }",
      "segments:",
      "  - name: loyal",
      "    filter: \"loyalty_tier IN ('gold', 'platinum')\"",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    min_events_per_user: 2",
      "    sampling: { policy: stratified, stratify_by: loyalty_tier, seed: 7, rate: 0.5 }",
      "  - name: everyone",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: uniform, seed: 1, size: 10 }",
      "privacy:",
      "  pseudonymize: [user_id, email]",
      "  drop: [full_name]",
      "");

  @Before
  public void lake() throws IOException {
    if (lake == null) {
      lake = CLASS_TEMP.newFolder("tiny-lake").toPath();
      TinyLake.write(spark(), lake);
    }
  }

  @Test
  public void theValidManifestPasses() throws IOException {
    Manifest m = load(VALID);
    ManifestValidator.Report report = new ManifestValidator(spark(), new DeltaTableStore(spark())).validate(m);
    assertEquals(List.of(), report.problems());
    assertEquals(Long.valueOf(0), report.pinnedInputs().get("events").version());
    assertEquals(2, m.segments().size());
    assertEquals(0.5, m.segments().get(0).sampling().rate(), 0.0);
  }

  /**
   * Pre-flight against the days the events cover (TinyLake's run from 2024-12-15 to 2025-02-10, by its rows): a window
   * holding none of them is a problem, one reaching past them a warning.
   */
  @Test
  public void aWindowWithoutDataIsAProblemAndOneReachingPastTheDataAWarning() throws IOException {
    String window = "window: { start: 2025-01-01, end: 2025-02-01 }";
    String yaml = VALID.replaceFirst(java.util.regex.Pattern.quote(window), "window: { start: 2023-01-01, end: 2023-02-01 }")
        .replace(window, "window: { start: 2025-02-01, end: 2025-03-01 }");
    ManifestValidator.Report report = new ManifestValidator(spark(), new DeltaTableStore(spark()))
        .validate(new ManifestLoader().load(write(yaml)));
    String data = "the events at " + lake.resolve("events") + " run from 2024-12-15 to 2025-02-10";
    assertEquals(List.of("segments[0].window: 2023-01-01 … 2023-01-31 (end exclusive: 2023-02-01) holds no day of the "
        + "data: " + data + "; move it into that range"),
        report.problems().stream().map(ManifestProblem::toString).toList());
    assertEquals(List.of("segments[1].window: 2025-02-01 … 2025-02-28 (end exclusive: 2025-03-01) reaches past the data ("
        + data + "): its days outside that range see no events"),
        report.warnings().stream().map(ManifestProblem::toString).toList());
  }

  /**
   * A lake whose events keep the time as text and the quantity as a double, and whose users lack signup_ts: each
   * problem named with the input, the column, its type and the type expected; the items table passes.
   */
  @Test
  public void aMissingOrMistypedRequiredColumnIsNamedWithItsType() throws IOException {
    Path bad = temp.newFolder("mistyped-lake").toPath();
    spark().read().format("delta").load(lake.resolve("events").toString())
        .withColumn("event_ts", org.apache.spark.sql.functions.date_format(org.apache.spark.sql.functions.col("event_ts"),
            "yyyy-MM-dd HH:mm:ss"))
        .withColumn("quantity", org.apache.spark.sql.functions.col("quantity").cast("double"))
        .write().format("delta").save(bad.resolve("events").toString());
    spark().read().format("delta").load(lake.resolve("users").toString()).drop("signup_ts")
        .write().format("delta").save(bad.resolve("users").toString());
    spark().read().format("delta").load(lake.resolve("items").toString())
        .write().format("delta").save(bad.resolve("items").toString());
    String fix = "; give the column that type in the source, or map it with bin/rehearsal import (docs/import-mapping.md)";
    assertProblems(VALID.replace("lake: LAKE", "lake: " + bad),
        "inputs.events: table at " + bad + "/events: column 'event_ts' has type string, expected timestamp" + fix,
        "inputs.events: table at " + bad + "/events: column 'quantity' has type double, expected a whole number (int or "
            + "bigint)" + fix,
        "inputs.users: table at " + bad + "/users lacks column(s) [signup_ts]; it has [user_id, loyalty_tier, country, "
            + "device, email, phone, full_name]");
  }

  /** An input whose Delta log is damaged: its only commit garbled, or cut to nothing. */
  @Test
  public void aCorruptDeltaLogIsNamedWithTheTableAndWhatToDo() throws IOException {
    for (String damage : List.of("garbled", "empty", "checksum")) {
      Path bad = temp.newFolder("corrupt-" + damage).toPath();
      for (String table : List.of("events", "users", "items")) {
        org.apache.commons.io.FileUtils.copyDirectory(lake.resolve(table).toFile(), bad.resolve(table).toFile());
      }
      Path commit = bad.resolve("events/_delta_log/00000000000000000000.json");
      Files.writeString(commit, damage.equals("empty") ? "" : "{\"commitInfo\":{\"timestamp\":17");
      // Delta's own checksum of the table state; Hadoop's checksum of the commit file stays for "checksum" only.
      Files.deleteIfExists(bad.resolve("events/_delta_log/00000000000000000000.crc"));
      Files.deleteIfExists(bad.resolve("events/_delta_log/.00000000000000000000.crc.crc"));
      if (!damage.equals("checksum")) {
        Files.deleteIfExists(bad.resolve("events/_delta_log/.00000000000000000000.json.crc"));
      }
      List<ManifestProblem> problems = new ManifestValidator(spark(), new DeltaTableStore(spark()))
          .validate(new ManifestLoader().load(writeAs("corrupt-" + damage + ".yaml", VALID.replace("lake: LAKE", "lake: " + bad)))).problems();
      assertEquals(damage, 1, problems.size());
      String message = problems.get(0).toString();
      String cause = Map.of("garbled", "com.fasterxml.jackson.core.io.JsonEOFException: Unexpected end-of-input",
          "checksum", "org.apache.hadoop.fs.ChecksumException: Checksum error: file:" + bad
              + "/events/_delta_log/00000000000000000000.json", "empty", "org.apache.spark.sql.delta.DeltaIllegalStateException: [DELTA_STATE_RECOVER_ERROR] The protocol of your "
              + "Delta table could not be recovered").get(damage);
      org.junit.Assert.assertTrue(message, message.startsWith("inputs.events.path: the Delta transaction log at " + bad
          + "/events/_delta_log is damaged: " + cause));
      org.junit.Assert.assertTrue(message, message.endsWith("; restore the table's _delta_log from a backup or write the table again "
          + "(bin/rehearsal generate, bin/rehearsal import); its data files alone do not say which rows belong to a version"));
    }
  }

  private static final String FEATURES = "features:\n  segments: [loyal]\n  as_of: { start: 2025-01-20, end: 2025-01-31 }\n"
      + "  parity:\n    baseline: { profile: lake }\n";

  @Test
  public void theFeaturesSectionIsBound() throws IOException {
    Manifest m = load(VALID + FEATURES + "    exclude: [item_views_*]\n    overrides: { revenue_7d: { mean: { relative: 0.3 } } }\n");
    assertEquals(List.of("loyal"), m.features().segments());
    assertEquals(12, m.features().days());
    assertEquals(null, m.features().setFile());
    assertEquals(true, m.features().parity().excludes("item_views_7d"));
    assertEquals(false, m.features().parity().excludes("views_7d"));
    assertEquals(0.3, m.features().parity().toleranceOf("revenue_7d").mean().relative(), 0);
    assertEquals(0.1, m.features().parity().toleranceOf("revenue_30d").mean().relative(), 0);
    assertEquals(4.0, m.features().parity().noiseZ(), 0);
  }

  private static final String EVALUATION = "models:\n"
      + "  baseline: { kind: popularity, version: pop-1, scope: global, lookback_days: 30 }\n"
      + "  candidate: { kind: co_visitation, version: cv-2, history: 3 }\n"
      + "evaluation:\n  segments: [loyal]\n  cutoff: 2025-01-20\n  horizon_days: 7\n  k: [20, 10]\n"
      + "gates:\n  primary: { metric: ndcg@10, margin: { relative: 0.02 }, mde: 0.01 }\n"
      + "  secondary:\n    - { metric: recall@20, margin: { absolute: 0.01 } }\n"
      + "  guardrails:\n    - { metric: coverage@10, min_ratio_to_baseline: 0.9 }\n"
      + "    - { metric: novelty@10, margin: { relative: 0.1 } }\n";

  @Test
  public void theEvaluationSectionsAreBound() throws IOException {
    Manifest m = load(VALID + EVALUATION);
    assertEquals("baseline popularity pop-1", m.baseline().describe());
    assertEquals(io.rehearsal.transforms.ranking.ModelSpec.Scope.GLOBAL, m.baseline().scope());
    assertEquals(30, m.baseline().lookbackDays());
    assertEquals(3, m.candidate().history());
    assertEquals(io.rehearsal.transforms.ranking.ModelSpec.Scope.SEGMENT, m.candidate().scope());
    assertEquals(List.of(10, 20), m.evaluation().ks());
    assertEquals(List.of("loyal"), m.evaluation().segments());
    assertEquals(io.rehearsal.transforms.ranking.MetricDialect.DEFAULT, m.evaluation().dialect());
    assertEquals(20, m.evaluation().interleavingK());
    assertEquals(3, m.gates().paired().size()); // primary, secondary, the per-user guardrail
    assertEquals("novelty@10", m.gates().paired().get(2).metric());
    assertEquals(io.rehearsal.transforms.stats.MetricGate.Role.GUARDRAIL, m.gates().paired().get(2).role());
    assertEquals(1, m.gates().guardrails().size());
    assertEquals(io.rehearsal.transforms.stats.MultipleTesting.Method.HOLM, m.gates().correction());
  }

  private static final String DRIFT = "drift:\n  reference: { start: 2025-01-10, end: 2025-01-16 }\n"
      + "  current: { start: 2025-01-24, end: 2025-01-30 }\n";

  @Test
  public void theDriftSectionIsBound() throws IOException {
    Manifest m = load(VALID + FEATURES + DRIFT + "  series: { start: 2025-01-06, end: 2025-01-31 }\n"
        + "  thresholds: { psi: { warn: 0.2 } }\n"
        + "  overrides: { 'item_price*': { psi: { alert: 0.5 } }, revenue_7d: { missing_rate: { warn: 0.01, alert: 0.02 } } }\n");
    io.rehearsal.pipelines.manifest.DriftSection d = m.drift();
    assertEquals(List.of("loyal"), d.segments()); // features.segments by default
    assertEquals(List.of(io.rehearsal.transforms.features.FeatureSpec.Entity.USER,
        io.rehearsal.transforms.features.FeatureSpec.Entity.ITEM), d.entities());
    assertEquals(List.of(java.time.LocalDate.of(2025, 1, 6), java.time.LocalDate.of(2025, 1, 13),
        java.time.LocalDate.of(2025, 1, 20), java.time.LocalDate.of(2025, 1, 27)), d.seriesDays());
    assertEquals(new io.rehearsal.transforms.drift.DriftThresholds(0.2, 0.25, 0.15, 0.3, 0.05, 0.10), d.thresholdsOf("views_7d"));
    assertEquals(new io.rehearsal.transforms.drift.DriftThresholds(0.2, 0.5, 0.15, 0.3, 0.05, 0.10), d.thresholdsOf("item_price_30d_ago"));
    assertEquals(new io.rehearsal.transforms.drift.DriftThresholds(0.2, 0.25, 0.15, 0.3, 0.01, 0.02), d.thresholdsOf("revenue_7d"));
  }

  @Test
  public void driftNeedsFeaturesKnownSegmentsOrderedDaysAndOrderedThresholds() throws IOException {
    assertProblems(VALID + DRIFT.replace("2025-01-24, end: 2025-01-30", "2025-01-30, end: 2025-01-24")
            + "  segments: [loyal, nobody]\n  overrides: { views_7d: { psi: { warn: 0.3, alert: 0.2 } } }\n",
        "drift: drift compares the features of the feature set, but the manifest has no features section; add one "
            + "(features: { as_of: { start: …, end: … } } uses the default feature set)",
        "drift.segments[1]: unknown segment 'nobody'; declared segments: [loyal, everyone]",
        "drift.current: start 2025-01-30 must not be after end 2025-01-24 (both days are included)",
        "drift.overrides.views_7d.psi: alert 0.2 must not be below warn 0.3");
  }

  private static final String SIMULATION = "simulation:\n  scenarios:\n"
      + "    - { name: gadgets, new_items: { category: electronics, count: 3 } }\n"
      + "    - { name: sale, price_shift: [{ category: fashion, percent: -20 }, { category: home, percent: 5 }] }\n"
      + "    - { name: clearance, retire: { top_popular: 2, items: [i1] } }\n"
      + "  cold_start: { users: 7, max_failures: 1 }\n";

  @Test
  public void theSimulationSectionIsBound() throws IOException {
    SimulationSection s = load(VALID + EVALUATION + SIMULATION).simulation();
    assertEquals(List.of("loyal"), s.segments());
    assertEquals(List.of(new io.rehearsal.transforms.simulation.CatalogScenario.NewItems(3, "electronics", null)),
        s.scenarios().get(0).newItems());
    assertEquals("sim-gadgets-electronics-0003", s.scenarios().get(0).newItemId(0, 3));
    assertEquals(0.8, s.scenarios().get(1).priceShifts().get(0).factor(), 1e-12);
    assertEquals(1.05, s.scenarios().get(1).priceShifts().get(1).factor(), 1e-12);
    assertEquals(new io.rehearsal.transforms.simulation.CatalogScenario.Retirement(2, List.of("i1")),
        s.scenarios().get(2).retire());
    assertEquals(7, s.coldStartUsers());
    assertEquals(1, s.maxFailures());
  }

  @Test
  public void simulationNeedsAnEvaluationKnownSegmentsAndDistinctScenariosThatChangeSomething() throws IOException {
    assertProblems(VALID + "simulation:\n  segments: [nobody]\n  scenarios:\n"
            + "    - { name: unchanged, retire: { items: [i1] } }\n    - { name: twice, new_items: { category: a, count: 1 } }\n"
            + "    - { name: twice, description: nothing }\n"
            + "    - { name: doubled, price_shift: [{ category: a, percent: 5 }, { category: a, percent: 6 }] }\n",
        "simulation: the simulation re-scores both models at the evaluation cutoff, but the manifest has no models, "
            + "evaluation and gates sections; add them (see docs/metrics.md)",
        "simulation.segments[0]: unknown segment 'nobody'; declared segments: [loyal, everyone]",
        "simulation.scenarios[0].name: 'unchanged' is reserved for the catalog as it is, which every scenario is "
            + "compared with; choose another name",
        "simulation.scenarios[2].name: duplicate scenario name 'twice'; names must be unique",
        "simulation.scenarios[2]: scenario 'twice' changes nothing; declare new_items, price_shift or retire",
        "simulation.scenarios[3].price_shift[1].category: category 'a' is shifted twice in scenario 'doubled'; "
            + "combine the shifts into one percent");
  }

  @Test
  public void evaluationNeedsModelsAndGates() throws IOException {
    assertProblems(VALID + EVALUATION.substring(EVALUATION.indexOf("evaluation:"), EVALUATION.indexOf("gates:")),
        "models: missing: 'models', 'evaluation' and 'gates' go together (found evaluation); declare all three, see "
            + "docs/metrics.md",
        "gates: missing: 'models', 'evaluation' and 'gates' go together (found evaluation); declare all three, see "
            + "docs/metrics.md");
  }

  @Test
  public void modelFieldsMustFitTheKind() throws IOException {
    assertProblems(VALID + EVALUATION.replace("history: 3", "history: 3, rank: 8")
            .replace("{ kind: popularity, version: pop-1, scope: global, lookback_days: 30 }", "{ kind: table, version: t }"),
        "models.baseline.path: required for kind 'table': the recommendations table (user_id, item_id, rank or score)",
        "models.candidate.rank: does not apply to kind 'co_visitation'; fields of that kind: [history, lookback_days, "
            + "scope]");
  }

  /**
   * Models that are not where the manifest says, found by validation (so before the run writes anything): a saved
   * model's folder holding model/ only, and an external table at a path with nothing there; then that table written
   * without a rank or score column. The messages are the ones written here by hand from docs/metrics.md.
   */
  @Test
  public void aModelOrRecommendationsTableThatIsNotThereIsFoundByValidation() throws IOException {
    Path saved = temp.newFolder("saved-als").toPath();
    Files.createDirectories(saved.resolve("model"));
    Path external = saved.resolveSibling("vendor-recommendations");
    String yaml = VALID.replace("lake: LAKE", "lake: " + lake) + EVALUATION
        .replace("{ kind: popularity, version: pop-1, scope: global, lookback_days: 30 }",
            "{ kind: spark_ml, version: s-1, path: " + saved + " }")
        .replace("{ kind: co_visitation, version: cv-2, history: 3 }",
            "{ kind: table, version: t-1, path: " + external + ", format: parquet }");
    String noSavedModel = "models.baseline.path: no saved model at " + saved + ": it lacks users/, items/; point "
        + "models.baseline.path at a folder holding model/ (ALSModel.write().save), users/ (user_id, u) and items/ "
        + "(item_id, i) as Parquet";
    assertEquals(List.of(noSavedModel, "models.candidate.path: nothing at " + external + " (format parquet); correct the "
        + "path in the manifest, or write the parquet files there"), problemsOf(writeAs("missing-models.yaml", yaml)));

    spark().createDataFrame(List.of(org.apache.spark.sql.RowFactory.create("u1", "i1")), new org.apache.spark.sql.types.StructType()
        .add("user_id", "string").add("item_id", "string")).write().parquet(external.toString());
    assertEquals(List.of(noSavedModel, "models.candidate.path: the recommendations table at " + external + ": it has "
        + "neither a 'rank' nor a 'score' column (columns: [user_id, item_id]); provide user_id, item_id and rank "
        + "(1 = best) or score (higher = better)"), problemsOf(writeAs("unranked-table.yaml", yaml)));
  }

  private List<String> problemsOf(Path manifest) {
    return new ManifestValidator(spark(), new DeltaTableStore(spark())).validate(new ManifestLoader().load(manifest))
        .problems().stream().map(ManifestProblem::toString).toList();
  }

  @Test
  public void theHorizonMustEndInsideEveryEvaluatedWindow() throws IOException {
    assertProblems(VALID + EVALUATION.replace("horizon_days: 7", "horizon_days: 14"),
        "evaluation.horizon_days: cutoff 2025-01-20 + 14 days ends after the window of segment 'loyal' (end 2025-02-01, "
            + "exclusive), whose snapshot has no events from then on; end the horizon on or before 2025-02-01");
  }

  @Test
  public void gateMetricsMustBeEvaluated() throws IOException {
    assertProblems(VALID + EVALUATION.replace("metric: ndcg@10", "metric: ndcg@5").replace("metric: recall@20", "metric: gini@20"),
        "gates.primary.metric: k = 5 of 'ndcg@5' is not evaluated; add 5 to evaluation.k (now [20, 10])",
        "gates.secondary[0].metric: unknown per-user metric 'gini' in 'gini@20'; expected one of [ndcg, recall, "
            + "precision, hit_rate, mrr, map, revenue, price_ndcg, novelty, new_sku_share] followed by @k");
  }

  @Test
  public void aggregateGuardrailsTakeBoundsNotMargins() throws IOException {
    assertProblems(VALID + EVALUATION.replace("{ metric: coverage@10, min_ratio_to_baseline: 0.9 }",
            "{ metric: scoring_failures, margin: { absolute: 0 } }"),
        "gates.guardrails[0].margin: 'scoring_failures' is one number per segment, not a per-user metric: bound it with "
            + "min, max, min_ratio_to_baseline or max_ratio_to_baseline",
        "gates.guardrails[0]: guardrail 'scoring_failures' needs a bound: min, max, min_ratio_to_baseline or "
            + "max_ratio_to_baseline");
  }

  @Test
  public void aMetricIsGatedOnceAndAZeroMarginNeedsAnMde() throws IOException {
    // Review edge cases 2 and 4: a guardrail on the primary's metric used to replace the primary's margin
    // silently; a margin of 0 without mde planned a sample size for a distance of 0.
    assertProblems(VALID + EVALUATION.replace("{ metric: novelty@10, margin: { relative: 0.1 } }",
            "{ metric: ndcg@10, margin: { relative: 0.1 } }").replace("margin: { absolute: 0.01 } }", "margin: { absolute: 0 } }"),
        "gates.secondary[0].margin: a margin of 0 needs an 'mde': with margin 0 only a candidate shown better than the "
            + "baseline can pass, and the users a segment needs are planned for an improvement of mde; declare mde (the "
            + "improvement to detect, on the metric's scale) or a margin above 0",
        "gates.guardrails[1].metric: 'ndcg@10' is already gated by gates.primary; gate each metric once (keep the "
            + "stricter margin, or remove one of the two)");
  }

  @Test
  public void featuresAsOfStartAfterEnd() throws IOException {
    assertProblems(VALID + FEATURES.replace("end: 2025-01-31", "end: 2025-01-10"),
        "features.as_of: start 2025-01-20 must not be after end 2025-01-10 (both as-of days are included)");
  }

  @Test
  public void featuresUnknownSegment() throws IOException {
    assertProblems(VALID + FEATURES.replace("[loyal]", "[loyal, vip]"),
        "features.segments[1]: unknown segment 'vip'; expected one of [loyal, everyone]");
  }

  @Test
  public void featuresAsOfAfterTheSegmentWindow() throws IOException {
    assertProblems(VALID + FEATURES.replace("end: 2025-01-31", "end: 2025-02-05"),
        "features.as_of.end: as-of day 2025-02-05 is after the end 2025-02-01 of segment 'loyal', whose snapshot has "
            + "no events from then on; end the as-of days on or before 2025-02-01");
  }

  @Test
  public void featuresParityWithoutBaseline() throws IOException {
    assertProblems(VALID + FEATURES.replace("{ profile: lake }", "{ }"),
        "features.parity.baseline: set either 'profile: lake' or feature tables 'users'/'items', got neither");
  }

  @Test
  public void featuresNegativeTolerance() throws IOException {
    assertProblems(VALID + FEATURES.replace("{ profile: lake }", "{ profile: lake }\n    tolerance: { mean: { relative: -1 } }"),
        "features.parity.tolerance.mean.relative: must be >= 0, got -1");
  }

  @Test
  public void rateOutOfRange() throws IOException {
    assertProblems(VALID.replace("rate: 0.5", "rate: 1.5"),
        "segments[0].sampling.rate: must be <= 1, got 1.5");
  }

  @Test
  public void rateZero() throws IOException {
    assertProblems(VALID.replace("rate: 0.5", "rate: 0"),
        "segments[0].sampling.rate: must be > 0, got 0");
  }

  @Test
  public void missingSeed() throws IOException {
    assertProblems(VALID.replace("seed: 1, ", ""),
        "segments[1].sampling.seed: required field is missing");
  }

  @Test
  public void unknownFieldIsATypo() throws IOException {
    assertProblems(VALID.replace("min_events_per_user: 2", "min_event_per_user: 2"),
        "segments[0].min_event_per_user: unknown field 'min_event_per_user'; expected one of "
            + "[description, filter, min_events_per_user, name, sampling, window]");
  }

  /** The manifest is recorded verbatim with every run: a credential in it is refused, and not repeated. */
  @Test
  public void aManifestHoldsNoSecret() throws IOException {
    String fix = "the manifest is recorded verbatim with every run, so it must hold no secret: give credentials through "
        + "the environment or a Spark profile (docs/s3.md)";
    assertProblems(VALID.replace("  events: { path: events }",
            "  events: { path: events, options: { fs.s3a.secret.key: abc123, mergeSchema: true } }")
            .replace("  users: { path: users }", "  users: { path: \"s3a://AKIA42:abc123@bucket/users\" }"),
        "inputs.events.options.fs.s3a.secret.key: the option's name looks like a credential; " + fix,
        "inputs.users.path: a URI with a user and password in it; " + fix);
  }

  @Test
  public void unknownPolicy() throws IOException {
    assertProblems(VALID.replace("policy: uniform", "policy: random"),
        "segments[1].sampling.policy: expected one of [\"uniform\",\"stratified\",\"revenue_weighted\",\"head_tail\"], got 'random'");
  }

  @Test
  public void wrongType() throws IOException {
    assertProblems(VALID.replace("seed: 7", "seed: seven"),
        "segments[0].sampling.seed: expected an integer, got 'seven'");
  }

  @Test
  public void badDateFormat() throws IOException {
    assertProblems(VALID.replace("end: 2025-02-01 }\n    min", "end: 01/02/2025 }\n    min"),
        "segments[0].window.end: expected a date as YYYY-MM-DD, got '01/02/2025'");
  }

  @Test
  public void impossibleDate() throws IOException {
    assertProblems(VALID.replace("start: 2025-01-01, end: 2025-02-01 }\n    sampling", "start: 2025-02-30, end: 2025-03-01 }\n    sampling"),
        "segments[1].window.start: not a calendar date, got '2025-02-30'");
  }

  @Test
  public void windowStartAfterEnd() throws IOException {
    assertProblems(VALID.replace("start: 2025-01-01, end: 2025-02-01 }\n    min", "start: 2025-03-01, end: 2025-02-01 }\n    min"),
        "segments[0].window: start 2025-03-01 must be before end 2025-02-01 (the window is [start, end) in UTC days)");
  }

  @Test
  public void duplicateSegmentNames() throws IOException {
    assertProblems(VALID.replace("name: everyone", "name: loyal"),
        "segments[1].name: duplicate segment name 'loyal' (also segments[0]); names must be unique");
  }

  @Test
  public void bothRateAndSize() throws IOException {
    assertProblems(VALID.replace("size: 10", "size: 10, rate: 0.2"),
        "segments[1].sampling: set exactly one of 'rate' or 'size', got both");
  }

  @Test
  public void stratifiedWithoutColumn() throws IOException {
    assertProblems(VALID.replace("stratify_by: loyalty_tier, ", ""),
        "segments[0].sampling.stratify_by: required when policy is 'stratified'");
  }

  @Test
  public void minEventsBelowOne() throws IOException {
    assertProblems(VALID.replace("min_events_per_user: 2", "min_events_per_user: 0"),
        "segments[0].min_events_per_user: must be >= 1, got 0");
  }

  @Test
  public void noSegments() throws IOException {
    String yaml = VALID.substring(0, VALID.indexOf("segments:")) + "segments: []\n";
    assertProblems(yaml, "segments: must have at least 1 item(s), got 0");
  }

  @Test
  public void filterThatIsAStatement() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"DROP TABLE users\""),
        "segments[0].filter: not a valid Spark SQL expression ([PARSE_SYNTAX_ERROR] Syntax error at or near 'users': extra input 'users'.(line 1, pos 11)), got 'DROP TABLE users'");
  }

  @Test
  public void filterWithSubquery() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"user_id IN (SELECT user_id FROM vips)\""),
        "segments[0].filter: subqueries are not allowed in a filter, got 'user_id IN (SELECT user_id FROM vips)'");
  }

  @Test
  public void filterOnUnknownColumn() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"tier = 'gold'\""),
        "segments[0].filter: unknown column 'tier'; available columns: user_id, signup_ts, loyalty_tier, country, device, "
            + "email, phone, full_name, events_in_window, purchases_in_window, orders_in_window, returns_in_window, "
            + "revenue_in_window, first_event_ts, last_event_ts, purchases_before_window, is_new_customer, tenure_days "
            + "in 'tier = 'gold''");
  }

  @Test
  public void filterThatIsNotBoolean() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"events_in_window + 1\""),
        "segments[0].filter: must be a boolean expression, got type bigint for 'events_in_window + 1'");
  }

  @Test
  public void filterThatIsRandom() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"rand() < 0.5\""),
        "segments[0].filter: must be deterministic (no rand(), uuid() or similar), got 'rand() < 0.5'");
  }

  @Test
  public void filterWithAggregate() throws IOException {
    assertProblems(VALID.replace("\"loyalty_tier IN ('gold', 'platinum')\"", "\"count(*) > 3\""),
        "segments[0].filter: aggregate, window and generator functions are not allowed in a filter, got 'count(*) > 3'");
  }

  @Test
  public void missingInputTable() throws IOException {
    assertProblems(VALID.replace("items: { path: items }", "items: { path: catalog }"),
        "inputs.items.path: no Delta table at " + lake + "/catalog; create it (bin/rehearsal generate --out DIR, "
            + "or bin/rehearsal import) or correct the path in the manifest");
  }

  @Test
  public void pinnedVersionThatDoesNotExist() throws IOException {
    assertProblems(VALID.replace("events: { path: events }", "events: { path: events, version: 7 }"),
        "inputs.events.version: the table at " + lake + "/events has versions 0 to 0; pin a version that exists, "
            + "or remove 'version' to read the latest");
  }

  @Test
  public void privacyColumnThatDoesNotExist() throws IOException {
    assertProblems(VALID.replace("pseudonymize: [user_id, email]", "pseudonymize: [user_id, e_mail]"),
        "privacy.pseudonymize[1]: no input table has a column 'e_mail'");
  }

  @Test
  public void droppingAKeyColumn() throws IOException {
    assertProblems(VALID.replace("drop: [full_name]", "drop: [full_name, user_id]").replace("[user_id, email]", "[email]"),
        "privacy.drop[1]: column 'user_id' is needed by later steps and cannot be dropped; pseudonymize it instead");
  }

  @Test
  public void aWarehouseBelowAFileCannotBeWrittenAndNoFolderIsCreated() throws IOException {
    Path file = temp.newFile("not-a-folder").toPath();
    assertProblems(VALID.replace("lake: LAKE", "lake: LAKE\nwarehouse: " + file + "/warehouse"),
        "warehouse: nothing can be written under " + file + "/warehouse (" + file + " is a file, not a folder); choose a "
            + "writable folder (--warehouse or the manifest's warehouse) or give this user write permission there");
    try (var left = Files.list(file.getParent())) {
      org.junit.Assert.assertEquals("no folder made, no probe file left", List.of("not-a-folder"),
          left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("not-a-folder") || n.startsWith(".rehearsal")
              || n.equals("warehouse")).toList());
    }
  }

  /** A read-only file system (a tmpfs mounted read-only: root ignores permission bits), so it holds for root too. */
  @Test
  public void aWarehouseOnAReadOnlyFileSystemIsAProblemBeforeAnythingRuns() throws Exception {
    Path mount = temp.newFolder("read-only").toPath();
    Assume.assumeTrue("cannot mount a tmpfs here (needs CAP_SYS_ADMIN): skipped",
        new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", mount.toString()).start().waitFor() == 0);
    try {
      Manifest m = load(VALID.replace("lake: LAKE", "lake: LAKE\nwarehouse: " + mount + "/warehouse"));
      List<String> problems = new ManifestValidator(spark(), new DeltaTableStore(spark())).validate(m).problems().stream()
          .map(ManifestProblem::toString).toList();
      assertEquals(problems.toString(), 1, problems.size());
      org.junit.Assert.assertTrue(problems.get(0), problems.get(0).startsWith("warehouse: nothing can be written under " + mount
          + "/warehouse (cannot write in " + mount + ": "));
      org.junit.Assert.assertTrue(problems.get(0), problems.get(0).contains("Read-only file system"));
    } finally {
      new ProcessBuilder("umount", "-l", mount.toString()).start().waitFor();
    }
  }

  @Test
  public void everyStructuralProblemIsReportedAtOnce() throws IOException {
    Path file = write(VALID.replace("rate: 0.5", "rate: 1.5").replace("policy: uniform", "policy: random").replace("seed: 7", "seed: seven"));
    try {
      new ManifestLoader().load(file);
      fail("expected the manifest to be rejected");
    } catch (RehearsalException e) {
      assertEquals(RehearsalException.Kind.INVALID_INPUT, e.kind());
      assertEquals("Manifest " + file + " is invalid (3 problems):\n"
          + "  - segments[0].sampling.rate: must be <= 1, got 1.5\n"
          + "  - segments[0].sampling.seed: expected an integer, got 'seven'\n"
          + "  - segments[1].sampling.policy: expected one of [\"uniform\",\"stratified\",\"revenue_weighted\",\"head_tail\"], got 'random'\n"
          + "Fix: correct the fields listed above (reference: docs/manifest.md, schema: manifests/manifest.schema.json)",
          e.getMessage());
    }
  }

  @Test
  public void yamlSyntaxError() throws IOException {
    Path file = write("apiVersion: rehearsal/v1\nname: [unclosed\n");
    try {
      new ManifestLoader().load(file);
      fail("expected a YAML error");
    } catch (RehearsalException e) {
      assertEquals("Manifest " + file + " is not valid YAML: syntax error at line 2, column 16: while parsing a flow sequence. "
          + "Fix: fix the YAML syntax (indentation, quotes, colons)", e.getMessage());
    }
  }

  private Manifest load(String yaml) throws IOException {
    return new ManifestLoader().load(write(yaml));
  }

  private Path writeAs(String name, String yaml) throws IOException {
    Path file = temp.newFile(name).toPath();
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private Path write(String yaml) throws IOException {
    Path file = temp.newFile("manifest.yaml").toPath();
    Files.write(file, yaml.replace("LAKE", lake.toString()).getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** Loads and validates; asserts the exact list of problems. */
  private void assertProblems(String yaml, String... expected) throws IOException {
    List<String> actual;
    try {
      Manifest m = load(yaml);
      ManifestValidator.Report report = new ManifestValidator(spark(), new DeltaTableStore(spark())).validate(m);
      actual = report.problems().stream().map(ManifestProblem::toString).collect(Collectors.toList());
    } catch (RehearsalException e) {
      actual = Arrays.stream(e.getMessage().split("\n")).filter(l -> l.startsWith("  - ")).map(l -> l.substring(4)).collect(Collectors.toList());
      if (actual.isEmpty()) {
        throw e;
      }
    }
    assertEquals(Arrays.asList(expected), actual);
  }
}
