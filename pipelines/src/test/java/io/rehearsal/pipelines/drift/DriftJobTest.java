package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.features.BackfillJob;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.testing.DemoLakeFixture;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.drift.DriftCohorts;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/**
 * {@code drift} end to end on a generated demo lake (scale 1), loyalty members kept whole: the week before
 * the promotion against a week inside it, with a weekly series, on real Delta tables.
 */
public class DriftJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static Path lake;
  private static Path warehouse;
  private static boolean snapshotted;
  private Path folder;

  @Before
  public void lakeAndSnapshot() throws IOException {
    if (lake == null) {
      lake = DemoLakeFixture.seed42Scale1(spark());
      warehouse = CLASS_TEMP.newFolder("drift-warehouse").toPath();
    }
    folder = temp.newFolder("m").toPath();
    if (!snapshotted) {
      new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(manifest(DRIFT))
          .salt("drift-test-salt").runId("snap").execute();
      snapshotted = true;
    }
  }

  private static final String DRIFT = "drift:\n  reference: { start: 2025-04-01, end: 2025-04-07 }\n"
      + "  current: { start: 2025-04-21, end: 2025-04-27 }\n"
      + "  series: { start: 2025-04-07, end: 2025-05-05, step_days: 14 }\n";

  private Path manifestFile(String drift) throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: d\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n"
        + "  - name: members\n    filter: \"loyalty_tier IN ('silver', 'gold', 'platinum')\"\n"
        + "    window: { start: 2025-01-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 3, rate: 1.0 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n"
        + "features:\n  as_of: { start: 2025-06-01, end: 2025-06-02 }\n" + drift;
    Path file = folder.resolve("manifest.yaml");
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private Manifest manifest(String drift) throws IOException {
    return new ManifestLoader().load(manifestFile(drift));
  }

  private DriftResult drift(Manifest m, String runId) {
    return new DriftJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m)
        .featureSet(new FeatureSetLoader().forManifest(m)).runId(runId).execute();
  }

  private Dataset<Row> table(String name) {
    return spark().read().format("delta").load(DriftTables.path(warehouse.toString(), "d", name));
  }

  @Test
  public void thePromotionAlertsAndTheEdgesAreStoredAndReused() throws IOException {
    Manifest m = manifest(DRIFT);
    DriftResult first = drift(m, "d1");
    Assert.assertTrue(first.alerted());
    DriftResult.EntityDrift users = first.entities().get(0);
    assertEquals("user", users.entity());
    assertEquals(1.0, users.trafficShare().get("members"), 0);
    // 50% more sessions a day during the promotion: the members' 7-day session counts shift.
    FeatureDrift sessions = users.current().get("members").stream().filter(f -> f.feature().equals("sessions_7d"))
        .findFirst().orElseThrow();
    Assert.assertTrue(sessions.reason(), sessions.level() == DriftThresholds.Level.ALERT);
    Assert.assertTrue(sessions.currentMean() > sessions.referenceMean() * 1.2);
    for (FeatureDrift f : users.current().get("members")) {
      Assert.assertTrue(f.feature(), Double.isFinite(f.psi()) && Double.isFinite(f.jensenShannon()));
    }

    int userFeatures = users.current().get("members").size();
    int itemFeatures = first.entities().get(1).current().get("members").size();
    assertEquals(userFeatures + itemFeatures, table(DriftTables.FEATURES).count());
    // Three series days (04-07, 04-21, 05-05), the first without a previous day.
    assertEquals(3L * (userFeatures + itemFeatures), table(DriftTables.SERIES).count());
    assertEquals((userFeatures + itemFeatures), table(DriftTables.SERIES).where(col("psi_vs_previous").isNull()).count());
    DriftResult.SegmentDiagnosis diagnosis = first.diagnoses().get(0);
    assertEquals("members", diagnosis.segment());
    assertEquals(LocalDate.of(2025, 5, 5), diagnosis.retrainTo());
    Assert.assertTrue(diagnosis.changeDays().toString(), diagnosis.changeDays().contains(LocalDate.of(2025, 4, 21)));
    assertEquals(0, table(DriftTables.EDGES).where(col("reused")).count());

    // Backfill writes the reference window's days to the snapshot's feature table; the second run reads them from
    // there and computes only the other days, and its numbers are the same.
    Manifest referenceDays = new ManifestLoader().load(Files.writeString(folder.resolve("backfill.yaml"),
        Files.readString(manifestFile(DRIFT)).replace("as_of: { start: 2025-06-01, end: 2025-06-02 }",
            "as_of: { start: 2025-04-01, end: 2025-04-07 }")));
    new BackfillJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(referenceDays)
        .featureSet(new FeatureSetLoader().forManifest(referenceDays)).runId("bf").execute();

    // A second run, through the CLI (one drift run fewer than a job run and then a CLI run), reuses every stored
    // edge and gets the same numbers: its PSI and bin edges read back from the features table it wrote.
    java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
    java.io.PrintStream stdout = System.out;
    int exitCode;
    System.setOut(new java.io.PrintStream(console, true, StandardCharsets.UTF_8));
    try {
      exitCode = RehearsalCli.execute("drift", manifestFile(DRIFT).toString(), "--run-id", "cli-d");
    } finally {
      System.setOut(stdout);
    }
    String printed = console.toString(StandardCharsets.UTF_8);
    // 04-01 … 04-07 of the 15 as-of days (the two windows of 7, and the series 04-07, 04-21, 05-05).
    Assert.assertTrue(printed, printed.contains("members user features: 7 of 15 as-of days read from the backfilled "
        + "feature table\n"));
    Assert.assertTrue(printed, printed.contains("members item features: 7 of 15 as-of days read from the backfilled "
        + "feature table\n"));
    long edges = table(DriftTables.EDGES).count();
    Assert.assertTrue(edges > 0);
    assertEquals(edges, table(DriftTables.EDGES).where(col("reused")).count());
    Map<String, Row> second = new HashMap<>();
    for (Row r : table(DriftTables.FEATURES).where(col("segment").equalTo("members").and(col("run_id").equalTo("cli-d")))
        .select("entity", "feature", "psi", "bin_edges").collectAsList()) {
      second.put(r.getString(0) + " " + r.getString(1), r);
    }
    assertEquals(userFeatures + itemFeatures, second.size());
    for (int e = 0; e < 2; e++) {
      for (FeatureDrift a : first.entities().get(e).current().get("members")) {
        Row b = second.get(first.entities().get(e).entity() + " " + a.feature());
        Assert.assertNotNull(a.feature(), b);
        assertEquals(a.feature(), a.psi(), b.getDouble(2), 0);
        assertEquals(a.feature(), a.edges(), b.getList(3));
      }
    }
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED, exitCode);
  }

  @Test
  public void aManifestWithoutADriftSectionIsRejectedWithTheFix() throws IOException {
    Manifest m = manifest("");
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> drift(m, "x"));
    assertEquals("Cannot run the drift suite on manifest " + m.file(), e.problem());
  }

  private static final String MODELS = "models:\n"
      + "  baseline: { kind: popularity, version: pop-30, scope: global, lookback_days: 30 }\n"
      + "  candidate: { kind: co_visitation, version: cv-5, history: 5 }\n"
      + "evaluation:\n  cutoff: 2025-06-10\n  horizon_days: 14\n  k: [10]\n"
      + "gates:\n  primary: { metric: ndcg@10, margin: { relative: 0.02 } }\n";

  @Test
  public void theModelsListsAndTheCohortsDriftToo() throws IOException {
    // Another reference window than the other tests: their stored bin edges must not be reused here, nor these there.
    DriftResult r = drift(manifest(MODELS + DRIFT.replace("  series: { start: 2025-04-07, end: 2025-05-05, step_days: 14 }\n",
        "  entities: [user]\n").replace("start: 2025-04-01, end: 2025-04-07", "start: 2025-04-02, end: 2025-04-08")), "p1");
    DriftResult.EntityDrift predictions = r.entities().get(1);
    assertEquals(PredictionDrift.PREDICTION, predictions.entity());
    List<FeatureDrift> drifts = predictions.current().get("members");
    assertEquals(List.of("baseline_item_category", "baseline_item_popularity", "baseline_score",
        "candidate_item_category", "candidate_item_popularity", "candidate_score"),
        drifts.stream().map(FeatureDrift::feature).toList());
    // 50% more sessions during the promotion: the popularity baseline's scores (weighted event counts) rise.
    FeatureDrift score = drifts.get(2);
    Assert.assertTrue(score.reason(), score.level() == DriftThresholds.Level.ALERT);
    Assert.assertTrue(score.currentMean() > score.referenceMean() * 1.2);
    // Every member gets a full top 10 from each model (the candidate through its fallback when needed).
    assertEquals(score.referenceRows(), drifts.get(5).referenceRows());
    assertEquals(0, score.referenceRows() % 10);

    List<DriftResult.CohortDrift> cohorts = r.entities().get(0).cohorts();
    assertEquals(java.util.Set.of("country", "device", "new_vs_returning"),
        cohorts.stream().map(DriftResult.CohortDrift::slice).collect(java.util.stream.Collectors.toSet()));
    for (DriftResult.CohortDrift c : cohorts) {
      Assert.assertTrue(c.toString(), c.referenceRows() >= DriftCohorts.MIN_ROWS && c.share() > 0 && c.share() <= 1);
    }
    // The slices of one kind partition the segment's current rows (cohorts below the minimum are left out).
    double deviceShare = cohorts.stream().filter(c -> c.slice().equals("device")).mapToDouble(DriftResult.CohortDrift::share).sum();
    Assert.assertTrue(String.valueOf(deviceShare), deviceShare > 0.9 && deviceShare <= 1.0 + 1e-9);
    long cohortFeatures = cohorts.stream().mapToLong(c -> c.drifts().size()).sum();
    assertEquals(cohortFeatures, table(DriftTables.COHORTS).count());
    Assert.assertFalse(r.impactedCohorts().isEmpty());
  }

  @Test
  public void theSameSnapshotAsReferenceRunShowsNoDriftAndAnUnknownRunIsNamed() throws IOException {
    Manifest m = manifest(DRIFT.replace("  series: { start: 2025-04-07, end: 2025-05-05, step_days: 14 }\n",
        "  entities: [user]\n  cohorts: []\n"));
    DriftResult r = new DriftJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m)
        .featureSet(new FeatureSetLoader().forManifest(m)).runId("rr").referenceRun("snap").execute();
    assertEquals("snapshots of run snap at 2025-04-21 … 2025-04-27", r.reference());
    for (FeatureDrift f : r.entities().get(0).current().get("members")) {
      assertEquals(f.feature(), 0.0, f.psi(), 0);
      assertEquals(f.feature(), DriftThresholds.Level.OK, f.level());
      assertEquals(f.referenceRows(), f.currentRows());
    }
    Assert.assertFalse(r.alerted());
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> new DriftJob().spark(spark())
        .store(new DeltaTableStore(spark())).manifest(m).featureSet(new FeatureSetLoader().forManifest(m)).runId("rr2")
        .referenceRun("nope").execute());
    assertEquals("Cannot find the reference snapshot of segment 'members': the snapshot index at "
        + warehouse + "/snapshots/index has no snapshot of manifest 'd' and segment 'members' written by run 'nope' "
        + "(runs with one, newest first: [snap]). Fix: pass one of those run ids; a run whose snapshot was written "
        + "again by a later run with the same inputs is listed under the later run", e.getMessage());
  }
}
