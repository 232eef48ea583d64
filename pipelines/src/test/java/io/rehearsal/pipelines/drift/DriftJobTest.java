package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.GenerateJob;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;

/**
 * {@code drift} end to end on a generated demo lake (scale 1), loyalty members kept whole: the week before
 * the promotion against a week inside it, with a weekly series, on real Delta tables.
 */
public class DriftJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private static Path lake;
  private static Path warehouse;
  private static boolean snapshotted;
  private Path folder;

  @Before
  public void lakeAndSnapshot() throws IOException {
    if (lake == null) {
      lake = Files.createTempDirectory("drift-lake");
      warehouse = Files.createTempDirectory("drift-warehouse");
      GenerateJob.builder(spark()).seed(42).scale(1).outDir(lake.toString()).runId("gen").build().execute();
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

    // A second run reuses every stored edge and gets the same numbers.
    DriftResult second = drift(m, "d2");
    long edges = table(DriftTables.EDGES).count();
    Assert.assertTrue(edges > 0);
    assertEquals(edges, table(DriftTables.EDGES).where(col("reused")).count());
    for (int e = 0; e < 2; e++) {
      List<FeatureDrift> a = first.entities().get(e).current().get("members");
      List<FeatureDrift> b = second.entities().get(e).current().get("members");
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).feature(), a.get(i).psi(), b.get(i).psi(), 0);
        assertEquals(a.get(i).edges(), b.get(i).edges());
      }
    }
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED,
        RehearsalCli.execute("drift", manifestFile(DRIFT).toString(), "--run-id", "cli-d"));
  }

  @Test
  public void aManifestWithoutADriftSectionIsRejectedWithTheFix() throws IOException {
    Manifest m = manifest("");
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> drift(m, "x"));
    assertEquals("Cannot run the drift suite on manifest " + m.file(), e.problem());
  }
}
