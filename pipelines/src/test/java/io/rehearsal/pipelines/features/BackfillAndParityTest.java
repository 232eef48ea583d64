package io.rehearsal.pipelines.features;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.features.EntityBackfill.Mode;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.testing.TinyLake;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.quality.SchemaDrift;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.util.List;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/**
 * Backfill and parity end to end on the tiny lake: snapshot → backfill → parity, with real Delta tables.
 * The segment keeps every eligible user (rate 1.0) so that exact values can be asserted.
 */
public class BackfillAndParityTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static Path lake;
  /**
   * Made once for the class (on first use) and only read afterwards: a warehouse holding the snapshot that every
   * test's manifest makes (they all declare the same segment and inputs, so the same snapshot id and content),
   * and a copy of it with the first backfill to 2025-01-31 added, whose result is {@link #firstBackfill}. A test
   * starts from a copy of one of them in its own warehouse ({@link #startFrom}), where it may change anything:
   * the same state as running the snapshot (and backfill) itself, without redoing them in every test.
   */
  private static Path snapshotted;
  private static Path backfilled;
  private static BackfillResult firstBackfill;
  private Path warehouse;
  private Path folder;

  @Before
  public void lake() throws IOException {
    if (lake == null) {
      lake = CLASS_TEMP.newFolder("tiny-lake").toPath();
      TinyLake.write(spark(), lake);
    }
    folder = temp.newFolder("m").toPath();
    warehouse = folder.resolve("warehouse");
  }

  private Path snapshotted() throws IOException {
    if (snapshotted == null) {
      Path shared = CLASS_TEMP.newFolder("snapshotted").toPath();
      snapshot(manifest(shared, shared.resolve("warehouse"), "2025-01-31", ""));
      snapshotted = shared.resolve("warehouse");
    }
    return snapshotted;
  }

  private Path backfilled() throws IOException {
    if (backfilled == null) {
      Path shared = CLASS_TEMP.newFolder("backfilled").toPath();
      FileUtils.copyDirectory(snapshotted().toFile(), shared.resolve("warehouse").toFile());
      firstBackfill = backfill(manifest(shared, shared.resolve("warehouse"), "2025-01-31", ""), false);
      backfilled = shared.resolve("warehouse");
    }
    return backfilled;
  }

  /** This test's warehouse becomes a copy of {@code shared}. */
  private void startFrom(Path shared) throws IOException {
    FileUtils.copyDirectory(shared.toFile(), warehouse.toFile());
  }

  /** The path in this test's warehouse of the user feature table that {@link #firstBackfill} wrote. */
  private String ownUserFeatures() {
    Path shared = Path.of(firstBackfill.table("everyone", Entity.USER).path());
    return warehouse.resolve(backfilled.relativize(shared).toString()).toString();
  }

  private Manifest manifest(String asOfEnd, String extraFeatures) throws IOException {
    return manifest(folder, warehouse, asOfEnd, extraFeatures);
  }

  private Manifest manifest(Path folder, Path warehouse, String asOfEnd, String extraFeatures) throws IOException {
    return manifest(lake, folder, warehouse, asOfEnd, extraFeatures);
  }

  private Manifest manifest(Path lake, Path folder, Path warehouse, String asOfEnd, String extraFeatures)
      throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: t\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n  - name: everyone\n    window: { start: " + TinyLake.WINDOW_START + ", end: "
        + TinyLake.WINDOW_END + " }\n    sampling: { policy: uniform, seed: 3, rate: 1.0 }\n"
        + "features:\n  as_of: { start: 2025-01-20, end: " + asOfEnd + " }\n" + extraFeatures;
    Path file = folder.resolve("manifest.yaml");
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return new ManifestLoader().load(file);
  }

  private void snapshot(Manifest m) {
    new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).runId("snap").execute();
  }

  private BackfillResult backfill(Manifest m, boolean full) {
    return new BackfillJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m)
        .featureSet(new FeatureSetLoader().forManifest(m)).runId("bf").full(full).execute();
  }

  private ParityResult parity(Manifest m) {
    return new ParityJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m)
        .featureSet(new FeatureSetLoader().forManifest(m)).runId("par").execute();
  }

  private Dataset<Row> users(BackfillResult result) {
    return spark().read().format("delta").load(result.table("everyone", Entity.USER).path());
  }

  private static Row at(Dataset<Row> table, String user, String day) {
    List<Row> rows = table.where(col("user_id").equalTo(user).and(col("as_of_date").equalTo(Date.valueOf(day))))
        .collectAsList();
    assertEquals(user + "@" + day, 1, rows.size());
    return rows.get(0);
  }

  @Test
  public void backfillWritesPointInTimeRowsAndAReRunChangesNothing() throws IOException {
    // The first backfill is the class's shared one (see firstBackfill); the re-runs run on this test's copy of it.
    startFrom(backfilled());
    Manifest m = manifest("2025-01-31", "");
    BackfillResult first = firstBackfill;
    EntityBackfill user = first.table("everyone", Entity.USER);
    assertEquals(Mode.FULL, user.mode());
    assertEquals("no feature table yet", user.reason());
    assertEquals(12, user.daysComputed());
    Dataset<Row> table = users(first);
    // u02: purchases on 01-07 and 01-21 (its 2024-12-15 purchase is outside the snapshot window), views on
    // 01-07, 01-14 and 01-21; each event is ingested one minute after it happens.
    Row u02 = at(table, "u02", "2025-01-31");
    assertEquals(2L, (long) u02.<Long>getAs("purchases_30d"));
    assertEquals(0L, (long) u02.<Long>getAs("purchases_7d"));
    assertEquals(3L, (long) u02.<Long>getAs("views_30d"));
    assertEquals(10, (int) u02.<Integer>getAs("days_since_last_purchase"));
    assertEquals(2.0 / 3.0, u02.<Double>getAs("conversion_rate_30d"), 1e-12);
    Row u02Jan22 = at(table, "u02", "2025-01-22");
    assertEquals(1L, (long) u02Jan22.<Long>getAs("purchases_7d"));
    assertEquals(1, (int) u02Jan22.<Integer>getAs("days_since_last_purchase"));
    assertEquals(0, at(table, "u02", "2025-01-21").<Long>getAs("purchases_7d").longValue()); // 01-21 not visible yet
    long rows = table.count();
    assertEquals(rows, table.select("user_id", "as_of_date").distinct().count());
    assertEquals(rows, user.rows());

    BackfillResult again = backfill(m, false);
    EntityBackfill unchanged = again.table("everyone", Entity.USER);
    assertEquals(Mode.UP_TO_DATE, unchanged.mode());
    assertEquals("all 12 requested days are already computed with this feature set from this snapshot "
        + "(--full recomputes them)", unchanged.reason());
    assertEquals(user.version(), unchanged.version());
    assertEquals(rows, users(again).count());

    BackfillResult forced = backfill(m, true);
    assertEquals(Mode.FULL, forced.table("everyone", Entity.USER).mode());
    assertEquals(rows, users(forced).count());
    assertEquals(0, users(forced).except(table).count());
  }

  @Test
  public void extendingTheWindowComputesOnlyTheNewDaysAndMatchesAFullRun() throws IOException {
    startFrom(snapshotted());
    backfill(manifest("2025-01-25", ""), false);
    Manifest longer = manifest("2025-01-31", "");
    BackfillResult extended = backfill(longer, false);
    EntityBackfill user = extended.table("everyone", Entity.USER);
    assertEquals(Mode.INCREMENTAL, user.mode());
    assertEquals("kept 6 computed days, computing 6 (2025-01-26 … 2025-01-31)", user.reason());
    assertEquals(Date.valueOf("2025-01-26").toLocalDate(), user.computedFrom());
    Dataset<Row> incremental = users(extended).cache();
    // The full run to 2025-01-31 from the same snapshot: the class's shared first backfill.
    backfilled();
    Dataset<Row> recomputed = users(firstBackfill);
    assertEquals(recomputed.count(), incremental.count());
    assertEquals(0, incremental.except(recomputed).count());
    assertEquals(0, recomputed.except(incremental).count());
  }

  @Test
  public void aChangedFeatureSetRecomputesTheWholeWindow() throws IOException {
    Path set = folder.resolve("features.yaml");
    String base = "apiVersion: rehearsal/v1\nkind: FeatureSet\nname: small\nfeatures:\n"
        + "  - { name: events, entity: user, aggregate: count, windows: [7] }\n";
    Files.write(set, base.getBytes(StandardCharsets.UTF_8));
    Manifest m = manifest("2025-01-31", "  set: features.yaml\n");
    startFrom(snapshotted());
    BackfillResult first = backfill(m, false);
    assertEquals(List.of("snapshot_id", "user_id", "as_of_date", "events_7d", "feature_set", "snapshot_hash"),
        List.of(users(first).columns()));
    Files.write(set, (base + "  - { name: buys, entity: user, aggregate: count, filter: \"event_type = 'purchase'\", "
        + "windows: [30] }\n").getBytes(StandardCharsets.UTF_8));
    BackfillResult second = backfill(m, false);
    EntityBackfill user = second.table("everyone", Entity.USER);
    assertEquals(Mode.FULL, user.mode());
    Assert.assertTrue(user.reason(), user.reason().startsWith(
        "the table's schema differs from the feature set (column 'buys_30d' (bigint) is missing): recomputing"));
    assertEquals(List.of("snapshot_id", "user_id", "as_of_date", "events_7d", "buys_30d", "feature_set",
        "snapshot_hash"), List.of(users(second).columns()));
  }

  @Test
  public void parityPassesAnUntouchedTableAndNamesACorruptedFeature() throws IOException {
    startFrom(backfilled());
    String testbed = ownUserFeatures();
    // The baseline: an untouched copy of the user features, as a production feature store export would be.
    String baseline = lake.resolve("baseline-" + System.nanoTime()).toString();
    spark().read().format("delta").load(testbed).write().format("delta").save(baseline);
    Manifest m = manifest("2025-01-31", "  parity:\n    baseline: { users: { path: " + baseline + " } }\n"
        + "    sampling_noise_z: 0\n");

    ParityResult untouched = parity(m);
    ParityOutcome users = untouched.outcome("everyone", Entity.USER);
    Assert.assertTrue(users.failures().toString(), untouched.passed());
    assertEquals(4 * 41, users.checks().size()); // 13 features × 3 windows + 2 windowless, × 4 statistics
    Assert.assertTrue(users.schemaChanges().isEmpty());
    assertEquals(List.of(), users.notInBaseline());

    io.delta.tables.DeltaTable.forPath(spark(), testbed).updateExpr(
        java.util.Map.of("purchases_30d", "purchases_30d * 3"));
    ParityResult corrupted = parity(m);
    ParityOutcome after = corrupted.outcome("everyone", Entity.USER);
    Assert.assertFalse(corrupted.passed());
    List<ParityCheck> failures = after.failures();
    Assert.assertTrue(failures.toString(), failures.stream().allMatch(f -> f.column().equals("purchases_30d")));
    ParityCheck mean = failures.stream().filter(f -> f.statistic().label().equals("mean")).findFirst().orElseThrow();
    assertEquals(3.0 * mean.baseline(), mean.testbed(), 1e-9);
    assertEquals("purchases_30d mean: testbed " + fmt(mean.testbed()) + ", baseline " + fmt(mean.baseline())
        + ", difference " + fmt(mean.testbed() - mean.baseline()) + " exceeds tolerance ±10.0% (allowed "
        + fmt(0.1 * mean.baseline()) + ")", mean.message());
    Row stored = spark().read().format("delta").load(corrupted.resultsPath())
        .where("`column` = 'purchases_30d' AND statistic = 'mean'").first();
    assertEquals("FAIL", stored.getAs("status"));
    assertEquals(mean.message(), stored.getAs("message"));
    // The default sampling-noise allowance (z = 4 over 30 users) does not hide a tripled feature.
    Manifest noisy = manifest("2025-01-31", "  parity:\n    baseline: { users: { path: " + baseline + " } }\n");
    ParityCheck withNoise = parity(noisy).outcome("everyone", Entity.USER).failures().stream()
        .filter(f -> f.column().equals("purchases_30d") && f.statistic().label().equals("mean")).findFirst()
        .orElseThrow(() -> new AssertionError("the tripled mean passed with the noise allowance"));
    Assert.assertTrue(withNoise.message(), withNoise.allowed() < Math.abs(withNoise.testbed() - withNoise.baseline()));
    // The CLI exits 3 when a check fails (its exit code for this result, not a second parity run through the CLI;
    // LauncherIT runs the launcher end to end).
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED, io.rehearsal.pipelines.cli.ParityCommand.exitCode(corrupted));
    assertEquals(RehearsalCli.EXIT_OK, io.rehearsal.pipelines.cli.ParityCommand.exitCode(untouched));
  }

  @Test
  public void schemaDriftOfTheFeatureTableIsReported() throws IOException {
    startFrom(backfilled());
    String testbed = ownUserFeatures();
    spark().read().format("delta").load(testbed)
        .drop("sessions_7d")
        .withColumn("views_7d", col("views_7d").cast("int"))
        .withColumn("debug_flag", col("views_30d").gt(0))
        .write().format("delta").mode("overwrite").option("overwriteSchema", "true").save(testbed);
    Manifest m = manifest("2025-01-31", "  parity:\n    baseline: { users: { path: " + testbed + " } }\n");
    ParityOutcome users = parity(m).outcome("everyone", Entity.USER);
    Assert.assertFalse(users.passed());
    assertEquals(List.of("column 'views_7d' has type int, declared bigint", "column 'sessions_7d' (bigint) is missing",
        "column 'debug_flag' (boolean) is not declared"),
        users.schemaChanges().stream().map(SchemaDrift.Change::describe).toList());
    Assert.assertTrue(users.failures().toString(), users.failures().isEmpty()); // identical values otherwise
  }

  @Test
  public void aProfileOfTheLakeMatchesAFullSampleExactly() throws IOException {
    Manifest m = manifest("2025-01-31", "  parity:\n    baseline: { profile: lake }\n"
        + "    tolerance: { mean: { relative: 0 }, p50: { relative: 0 }, p90: { relative: 0 }, "
        + "missing_rate: { absolute: 0 } }\n");
    // The parity settings do not enter the snapshot or the features: the shared backfill is this manifest's.
    startFrom(backfilled());
    ParityOutcome users = parity(m).outcome("everyone", Entity.USER);
    // rate 1.0: the snapshot is the whole eligible population, so the profile is identical.
    assertEquals(firstBackfill.table("everyone", Entity.USER).rows(), users.testbedRows());
    assertEquals(users.testbedRows(), users.baselineRows());
    Assert.assertTrue(users.failures().toString(), users.passed());
  }

  /**
   * A lake delivering one purchase twice (the copy ingested a day later): the snapshot keeps the first copy, and the
   * lake profile reads the same kept events, so parity at zero tolerance still passes with equal row counts. Before,
   * the profile counted the copy (seen failing: purchases and revenue of that user differ).
   */
  @Test
  public void theLakeProfileSetsAsideTheCopyOfAnEventAsTheSnapshotDoes() throws IOException {
    Path doubled = temp.newFolder("doubled-lake").toPath();
    for (String table : List.of("users", "items")) {
      FileUtils.copyDirectory(lake.resolve(table).toFile(), doubled.resolve(table).toFile());
    }
    Dataset<Row> events = spark().read().format("delta").load(lake.resolve("events").toString());
    Dataset<Row> copy = events.where(col("event_id").equalTo("e-u10-0-p"))
        .withColumn("ingested_at", org.apache.spark.sql.functions.expr("event_ts + INTERVAL 1 DAY"));
    assertEquals(1, copy.count());
    events.unionByName(copy).write().format("delta").save(doubled.resolve("events").toString());
    Manifest m = manifest(doubled, folder, warehouse, "2025-01-31", "  parity:\n    baseline: { profile: lake }\n"
        + "    tolerance: { mean: { relative: 0 }, p50: { relative: 0 }, p90: { relative: 0 }, "
        + "missing_rate: { absolute: 0 } }\n    sampling_noise_z: 0\n");
    snapshot(m);
    backfill(m, false);
    ParityOutcome users = parity(m).outcome("everyone", Entity.USER);
    assertEquals(users.testbedRows(), users.baselineRows());
    Assert.assertTrue(users.failures().toString(), users.passed());
  }

  private static String fmt(double value) {
    if (value == Math.rint(value)) {
      return String.valueOf((long) value);
    }
    return String.format(java.util.Locale.ROOT, "%.6g", value);
  }
}
