package io.rehearsal.pipelines.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.fail;

import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.testing.TinyLake;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.Before;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

public class SnapshotJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static final String SALT = "test-salt";
  /** Written once per class (only read by the tests); each test gets its own warehouse. */
  private static Path lake;
  private Path warehouse;

  @Before
  public void lake() throws IOException {
    if (lake == null) {
      lake = CLASS_TEMP.newFolder("tiny-lake").toPath();
      TinyLake.write(spark(), lake);
    }
    warehouse = temp.newFolder("warehouse").toPath();
  }

  private Manifest manifest(String segments, String privacy) throws IOException {
    return manifest(lake, warehouse, segments, privacy);
  }

  private Manifest manifest(Path lake, Path warehouse, String segments, String privacy) throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: t\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n" + segments + privacy;
    Path file = temp.newFile().toPath();
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return new ManifestLoader().load(file);
  }

  private static String segment(String name, String filter, String sampling) {
    return "  - name: " + name + "\n" + (filter == null ? "" : "    filter: \"" + filter + "\"\n")
        + "    window: { start: " + TinyLake.WINDOW_START + ", end: " + TinyLake.WINDOW_END + " }\n"
        + "    sampling: " + sampling + "\n";
  }

  private SnapshotResult run(Manifest m, String runId) {
    return new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).salt(SALT).runId(runId).execute();
  }

  private Dataset<Row> table(String name) {
    return table(warehouse, name);
  }

  private Dataset<Row> table(Path warehouse, String name) {
    return spark().read().format("delta").load(SnapshotTables.path(warehouse.toString(), name));
  }

  /** A snapshot that more than one test reads: made once for the class in a warehouse of its own, never written again. */
  private record Shared(Path warehouse, SnapshotResult result) {}

  private static final Map<String, Shared> SHARED = new java.util.HashMap<>();

  private Shared shared(String segments) throws IOException {
    Shared made = SHARED.get(segments);
    if (made == null) {
      Path own = CLASS_TEMP.newFolder().toPath();
      made = new Shared(own, run(manifest(lake, own, segments, ""), "shared"));
      SHARED.put(segments, made);
    }
    return made;
  }

  private static final String STRATIFIED =
      segment("strat", null, "{ policy: stratified, stratify_by: loyalty_tier, seed: 9, rate: 0.5 }");
  private static final String HALF = segment("half", null, "{ policy: uniform, seed: 5, rate: 0.5 }");

  @Test
  public void everyoneAtRateOneKeepsEveryActiveUserWhole() throws IOException {
    Manifest m = manifest(segment("all", null, "{ policy: uniform, seed: 3, rate: 1.0 }"), "");
    SnapshotResult r = run(m, "run-1");
    SegmentSnapshot s = r.segment("all");
    assertEquals(30, s.eligibleUsers());
    assertEquals(30, s.sampledUsers());
    Set<String> ids = table("events").select("event_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList().stream().collect(Collectors.toSet());
    // The session crossing the window end and the later return of a January order come along;
    // the December purchases and the unrelated February view do not.
    assertEquals(true, ids.contains("e-u05-x-2"));
    assertEquals(true, ids.contains("e-u04-ret"));
    assertFalse(ids.contains("e-u01-prior"));
    assertFalse(ids.contains("e-u08-feb"));
    long inWindowEvents = 0;
    for (int i = 1; i <= 30; i++) {
      for (int x = 0; x <= i % 3; x++) {
        inWindowEvents += (i + x) % 2 == 0 ? 3 : 2;
      }
    }
    assertEquals(inWindowEvents + 1 /* u05 23:50 view */ + 1 /* u07 ghost view */ + 2 /* u05 00:10, u04 return */, s.events());
    assertEquals(1, s.danglingItemRefs());
    assertEquals(1, s.usersMissingFromUsersTable());
    assertEquals(10, s.items());
    assertEquals(Map.of("events", 0L, "users", 0L, "items", 0L), r.inputVersions());
  }

  /**
   * The tiny lake with four unusable events added: an event delivered twice, one without a user, one without a time,
   * one dated 2100 (after the table was written). The snapshot keeps exactly the clean lake's events, and sets the
   * four aside, counted per reason and pseudonymized; a later snapshot of the manifest with nothing to set aside
   * leaves none of its rows behind.
   */
  @Test
  public void unusableInputEventsAreQuarantinedCountedAndPseudonymized() throws IOException {
    Path dirty = temp.newFolder("dirty-lake").toPath();
    TinyLake.write(spark(), dirty);
    String eventsPath = dirty.resolve("events").toString();
    List<Row> rows = new java.util.ArrayList<>(spark().read().format("delta").load(eventsPath).collectAsList());
    org.apache.spark.sql.types.StructType nullable = new org.apache.spark.sql.types.StructType(Arrays.stream(
        io.rehearsal.transforms.schema.CanonicalTables.EVENTS_SCHEMA.fields()).map(f -> f.copy(f.name(), f.dataType(),
        true, f.metadata())).toArray(org.apache.spark.sql.types.StructField[]::new));
    Row model = rows.stream().filter(r -> r.getString(0).equals("e-u01-0-v")).findFirst().orElseThrow();
    rows.add(rows.stream().filter(r -> r.getString(0).equals("e-u04-ret")).findFirst().orElseThrow());
    rows.add(with(model, Map.of(0, "bad-no-user", 1, "")));
    rows.add(with(model, Map.of(0, "bad-no-time", 4, "")));
    rows.add(with(model, Map.of(0, "bad-future", 4, java.sql.Timestamp.valueOf("2100-01-01 00:00:00"))));
    spark().createDataFrame(rows, nullable).write().format("delta").mode("overwrite").option("overwriteSchema", "true")
        .save(eventsPath);
    String all = segment("all", null, "{ policy: uniform, seed: 3, rate: 1.0 }");
    String privacy = "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n";

    SnapshotResult r = run(manifest(dirty, warehouse, all, privacy), "dirty");
    assertEquals(Map.of("missing_event_id", 0L, "missing_user_id", 1L, "missing_event_ts", 1L, "future_event_ts", 1L,
        "duplicate_event_id", 1L), r.quarantined());
    assertEquals(SnapshotTables.path(warehouse.toString(), SnapshotTables.QUARANTINE), r.quarantineTable());
    Map<String, String> reasons = new TreeMap<>();
    for (Row q : table(SnapshotTables.QUARANTINE).collectAsList()) {
      assertEquals("t", q.getAs("manifest"));
      reasons.put(q.<String>getAs("event_id"), q.getAs("quarantine_reason"));
      String user = q.getAs("user_id");
      assertEquals(q.<String>getAs("event_id"), q.getAs("event_id").equals("bad-no-user"), user == null);
      if (user != null) {
        assertEquals("pseudonymized: " + user, 64, user.length());
      }
    }
    assertEquals(Map.of("bad-future", "future_event_ts", "bad-no-time", "missing_event_ts", "bad-no-user",
        "missing_user_id", "e-u04-ret", "duplicate_event_id"), reasons);

    Path cleanWarehouse = temp.newFolder("clean-warehouse").toPath();
    SnapshotResult clean = new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark()))
        .manifest(manifest(lake, cleanWarehouse, all, privacy)).salt(SALT).runId("clean").execute();
    assertEquals(0, clean.quarantinedEvents());
    assertEquals(null, clean.quarantineTable());
    assertFalse(Files.exists(Path.of(SnapshotTables.path(cleanWarehouse.toString(), SnapshotTables.QUARANTINE))));
    assertEquals(eventIds(Path.of(SnapshotTables.path(cleanWarehouse.toString(), "events"))),
        eventIds(Path.of(SnapshotTables.path(warehouse.toString(), "events"))));
    assertEquals(clean.segment("all").events(), r.segment("all").events());

    // The clean lake snapshotted into the dirty run's warehouse: the manifest's quarantined rows are replaced by none.
    SnapshotResult again = run(manifest(lake, warehouse, all, privacy), "again");
    assertEquals(0, again.quarantinedEvents());
    assertEquals(0, table(SnapshotTables.QUARANTINE).where(col("manifest").equalTo("t")).count());
  }

  /** A segment nobody passes, and one whose sampling draws nobody: refused before anything is written. */
  @Test
  public void anEmptySegmentIsRefusedBeforeAnythingIsWritten() throws IOException {
    Manifest nobody = manifest(segment("all", null, "{ policy: uniform, seed: 3, rate: 1.0 }")
        + segment("diamond", "loyalty_tier = 'diamond'", "{ policy: uniform, seed: 3, rate: 1.0 }"), "");
    RehearsalException refused = org.junit.Assert.assertThrows(RehearsalException.class, () -> run(nobody, "empty"));
    assertEquals(RehearsalException.Kind.INVALID_INPUT, refused.kind());
    assertEquals("Cannot snapshot segment 'diamond' of manifest " + nobody.file() + ": no user of the lake is eligible: "
        + "none passes segments[1].filter 'loyalty_tier = 'diamond'' with at least 1 event(s) in its window 2025-01-01 … "
        + "2025-02-01 (end exclusive). Fix: check the filter's values and the window against the lake (bin/rehearsal "
        + "validate checks the filter's columns), or remove the segment", refused.getMessage());
    Manifest drawsNone = manifest(segment("few", null, "{ policy: uniform, seed: 3, rate: 0.000001 }"), "");
    RehearsalException none = org.junit.Assert.assertThrows(RehearsalException.class, () -> run(drawsNone, "none"));
    assertEquals("Cannot snapshot segment 'few' of manifest " + drawsNone.file() + ": its sampling drew none of the 30 "
        + "eligible users. Fix: raise segments[0].sampling's rate or size", none.getMessage());
    try (java.util.stream.Stream<Path> written = Files.list(warehouse)) {
      assertEquals(List.of(), written.toList());
    }
  }

  private static Row with(Row row, Map<Integer, Object> changes) {
    Object[] values = new Object[row.size()];
    for (int i = 0; i < values.length; i++) {
      Object changed = changes.get(i);
      values[i] = changed == null ? row.get(i) : "".equals(changed) ? null : changed;
    }
    return org.apache.spark.sql.RowFactory.create(values);
  }

  private Set<String> eventIds(Path table) {
    return spark().read().format("delta").load(table.toString()).select("event_id").collectAsList().stream()
        .map(r -> r.getString(0)).collect(Collectors.toSet());
  }

  @Test
  public void stratifiedSamplingKeepsTierProportionsExactly() throws IOException {
    // 30 users: tiers by i % 4 give none 7, silver 8, gold 8, platinum 7; rate 0.5 → 15 users,
    // largest remainder: 3.5/4/4/3.5 → floors 3,4,4,3 = 14; the one remaining place goes to the tied
    // .5 remainder that sorts first by name, 'none'.
    Shared strat = shared(STRATIFIED);
    SnapshotResult r = strat.result();
    Map<String, Long> perTier = new TreeMap<>();
    for (Row row : table(strat.warehouse(), "users").groupBy("loyalty_tier").count().collectAsList()) {
      perTier.put(row.getString(0), row.getLong(1));
    }
    assertEquals(new TreeMap<>(Map.of("gold", 4L, "none", 4L, "platinum", 3L, "silver", 4L)), perTier);
    assertEquals(15, r.segment("strat").sampledUsers());
  }

  /**
   * The TinyLake users with u = xxhash64(seed, "segment-sample", user_id) mapped to [0, 1) below 0.5
   * (docs/manifest.md), for seeds 5 and 6. Computed once, independently of the project's code, by a throw-away
   * Python script with the {@code xxhash} package, following Spark's xxhash64: start from 42 and hash each
   * argument in turn with the previous hash as the seed — the seed as a long (8 little-endian bytes), then
   * the UTF-8 bytes of the purpose and of the user id; u = (hash &amp; (2^53 − 1)) / 2^53. In essence:
   * <pre>
   * h = 42
   * for b in (struct.pack('&lt;q', seed), b'segment-sample', user.encode()): h = xxhash.xxh64_intdigest(b, seed=h)
   * u = (h &amp; (2**53 - 1)) / 2**53
   * </pre>
   * (The script's hash agreed with Spark's own {@code xxhash64(5L, 'segment-sample', 'u01')}.) Seed 5 gives,
   * e.g., u01 0.8496, u02 0.5989, u03 0.3741, u21 0.0143, u23 0.9661: 16 of the 30 users are below 0.5.
   */
  private static final Set<String> SEED_5_HALF = Set.of("u03", "u06", "u07", "u08", "u09", "u10", "u12", "u18",
      "u19", "u21", "u24", "u25", "u26", "u27", "u28", "u30");
  private static final Set<String> SEED_6_HALF = Set.of("u01", "u03", "u05", "u06", "u07", "u10", "u11", "u12",
      "u13", "u14", "u16", "u19", "u20", "u21", "u22", "u23", "u25", "u26", "u27", "u30");

  @Test
  public void uniformRateIsTheHashThresholdOfSeedAndUser() throws IOException {
    Shared half = shared(HALF);
    SnapshotResult r = half.result();
    Set<String> actual = new HashSet<>(table(half.warehouse(), "users").select("user_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(SEED_5_HALF, actual);
    assertEquals(16, r.segment("half").sampledUsers());
    // Every event of the snapshot belongs to a sampled user, and every sampled user has events.
    Set<String> eventUsers = new HashSet<>(table(half.warehouse(), "events").select("user_id").distinct()
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList());
    assertEquals(SEED_5_HALF, eventUsers);
  }

  @Test
  public void sizeAndRevenueWeightedAndHeadTailPolicies() throws IOException {
    Manifest m = manifest(
        segment("ten", null, "{ policy: uniform, seed: 1, size: 10 }")
            + segment("rich", null, "{ policy: revenue_weighted, seed: 2, size: 5 }")
            + segment("tail", null, "{ policy: head_tail, catalog_part: tail, head_items_share: 0.2, seed: 4, rate: 1.0 }"),
        "");
    SnapshotResult r = run(m, "run-1");
    assertEquals(10, r.segment("ten").sampledUsers());
    assertEquals(5, r.segment("rich").sampledUsers());
    // Every revenue-weighted pick has revenue: zero-revenue users come last and 5 buyers exist.
    List<Row> rich = table("users").where(col("segment").equalTo("rich")).select("inclusion_probability").collectAsList();
    assertEquals(5, rich.size());
    rich.forEach(row -> org.junit.Assert.assertTrue(row.getDouble(0) > 0));
    // Head = top ceil(0.2 × purchased items) items; tail users buy mostly elsewhere.
    Dataset<Row> events = spark().read().format("delta").load(lake.resolve("events").toString())
        .where("event_ts >= '2025-01-01' AND event_ts < '2025-02-01' AND event_type = 'purchase'");
    long purchasedItems = events.select("item_id").distinct().count();
    List<String> head = events.groupBy("item_id").count().orderBy(col("count").desc(), col("item_id"))
        .limit((int) Math.ceil(0.2 * purchasedItems)).select("item_id").as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    long expectedTail = events.groupBy("user_id")
        .agg(org.apache.spark.sql.functions.avg(org.apache.spark.sql.functions.when(col("item_id").isin(head.toArray()), 0.0).otherwise(1.0)).as("tail_share"))
        .where("tail_share >= 0.5").count();
    assertEquals(expectedTail, r.segment("tail").sampledUsers());
    org.junit.Assert.assertTrue(expectedTail > 0 && expectedTail < 30);
  }

  @Test
  public void rerunIsIdempotentAndEveryCommitCarriesTheRunId() throws IOException {
    Manifest m = manifest(segment("half", "loyalty_tier <> 'none'", "{ policy: uniform, seed: 5, rate: 0.5 }"), "");
    SnapshotResult first = run(m, "run-A");
    long rows = table("events").count();
    SnapshotResult second = run(m, "run-B");
    assertEquals(rows, table("events").count());
    assertEquals(first.segment("half").snapshotId(), second.segment("half").snapshotId());
    assertEquals(first.segment("half").contentHashes(), second.segment("half").contentHashes());
    assertEquals(first.tableVersions().get("events") + 1, (long) second.tableVersions().get("events"));
    for (String t : List.of("events", "users", "items", "fidelity")) {
      List<Row> history = DeltaTable.forPath(spark(), SnapshotTables.path(warehouse.toString(), t)).history()
          .orderBy("version").select("userMetadata").collectAsList();
      assertEquals(t, List.of("run-A", "run-B"), history.stream().map(x -> x.getString(0)).collect(Collectors.toList()));
    }
  }

  /**
   * Content hashes of the events of segment 's' (no filter, the whole of January, uniform rate 0.5, no privacy)
   * of TinyLake at seeds 5 and 6, recorded once from a run of this test and confirmed independently: a
   * throw-away Python script read the snapshot's Delta table (its Parquet files and partition values) with
   * pyarrow and recomputed ContentHash's documented definition with the {@code xxhash} package (SHA-256 of
   * "sorted columns|rows|Σ xxhash64(row)|Σ xxhash64(row, 'rehearsal-content-hash-v1')", Spark's seed-42
   * xxhash64: strings as UTF-8, ints as 4 and timestamps (µs) and DECIMAL(12,2) (unscaled) as 8 little-endian
   * bytes). They pin the exact rows each snapshot holds (its id and segment columns included); the script also
   * checked that the events' users are exactly SEED_5_HALF and SEED_6_HALF.
   */
  private static final String SEED_5_EVENTS_HASH = "dadb1867aed44f72cdda7e4ce3e3e6ac0dfd1398f0a6e5c6041d00624e5cb513";
  private static final String SEED_6_EVENTS_HASH = "40467e2020edfcf6f5cc2adbbb4c684c1b995165fec92411b375f109e2dc4686";

  @Test
  public void aChangedSegmentGetsANewIdAndLeavesOtherSnapshotsAlone() throws IOException {
    SnapshotResult a = run(manifest(segment("s", null, "{ policy: uniform, seed: 5, rate: 0.5 }"), ""), "run-A");
    long afterA = a.tableVersions().get("events");
    SnapshotResult b = run(manifest(segment("s", null, "{ policy: uniform, seed: 6, rate: 0.5 }"), ""), "run-B");
    String idA = a.segment("s").snapshotId();
    String idB = b.segment("s").snapshotId();
    assertNotEquals(idA, idB);
    // Run B left snapshot A's rows exactly as run A wrote them (compared row for row with Delta time travel,
    // without any hash), and added B's sample.
    Dataset<Row> aThen = spark().read().format("delta").option("versionAsOf", afterA)
        .load(SnapshotTables.path(warehouse.toString(), "events")).where(col("snapshot_id").equalTo(idA));
    Dataset<Row> aNow = table("events").where(col("snapshot_id").equalTo(idA));
    assertEquals(aThen.count(), aNow.count());
    assertEquals(0, aThen.exceptAll(aNow).count());
    assertEquals(0, aNow.exceptAll(aThen).count());
    assertEquals(SEED_6_HALF, new HashSet<>(table("users").where(col("snapshot_id").equalTo(idB)).select("user_id")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
    // Event counts by hand from TinyLake's definition: user i has sessions s = 0 … i % 3 of 3 events when
    // (i + s) is even, else 2; u05 adds its window-crossing session's 2 events, u04 its February return, u07
    // its ghost view. Seed 5's 16 users (no u04, no u05): 64 session events + 1 (u07) = 65; seed 6's 20 users
    // (no u04): 100 session events + 2 (u05) + 1 (u07) = 103 (the sums taken with a few lines of Python).
    assertEquals(65, a.segment("s").events());
    assertEquals(103, b.segment("s").events());
    // The reported hashes are the recorded ones, and so are the hashes of what the table holds per snapshot.
    assertEquals(SEED_5_EVENTS_HASH, a.segment("s").contentHashes().get("events"));
    assertEquals(SEED_6_EVENTS_HASH, b.segment("s").contentHashes().get("events"));
    Map<String, ContentHash.GroupHash> byId = ContentHash.perGroup(table("events"), "snapshot_id");
    assertEquals(SEED_5_EVENTS_HASH, byId.get(idA).hash());
    assertEquals(SEED_6_EVENTS_HASH, byId.get(idB).hash());
  }

  @Test
  public void piiIsPseudonymizedConsistentlyAndDropped() throws IOException {
    Manifest m = manifest(segment("all", null, "{ policy: uniform, seed: 3, rate: 1.0 }"),
        "privacy:\n  pseudonymize: [user_id, email]\n  drop: [full_name, phone]\n");
    run(m, "run-1");
    Dataset<Row> users = table("users");
    assertFalse(Arrays.asList(users.columns()).contains("full_name"));
    assertFalse(Arrays.asList(users.columns()).contains("phone"));
    Row u01 = users.where(col("email").equalTo(ContentHash.sha256Hex(SALT + ":u01@example.com"))).first();
    assertEquals(ContentHash.sha256Hex(SALT + ":u01"), u01.getAs("user_id"));
    // Keys still join: every event's user is in the users table.
    assertEquals(0, table("events").join(users, scalaSeq("user_id"), "left_anti").count());
    assertEquals(0, table("users").where(col("user_id").like("u%")).count());
  }

  @Test
  public void pseudonymizingWithoutASaltIsRefusedBeforeAnythingIsWritten() throws IOException {
    Manifest m = manifest(segment("all", null, "{ policy: uniform, seed: 3, rate: 1.0 }"), "privacy:\n  pseudonymize: [email]\n");
    try {
      new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).runId("r").execute();
      fail("expected a missing-salt error");
    } catch (RehearsalException e) {
      assertEquals("Cannot pseudonymize columns [email] of manifest " + m.file() + ": no salt is configured. "
          + "Fix: set REHEARSAL_PSEUDONYM_SALT or point REHEARSAL_PSEUDONYM_SALT_FILE at a file holding the secret salt", e.getMessage());
    }
    assertFalse(Files.exists(warehouse.resolve("snapshots")));
  }

  @Test
  public void fidelityIsStoredPerSegment() throws IOException {
    Shared strat = shared(STRATIFIED);
    SnapshotResult r = strat.result();
    Map<String, Double[]> metrics = new TreeMap<>();
    for (Row row : table(strat.warehouse(), "fidelity").collectAsList()) {
      metrics.put(row.getAs("metric"), new Double[] {row.getAs("population"), row.getAs("sample")});
    }
    assertEquals(30.0, metrics.get("users")[0], 0.0);
    assertEquals(15.0, metrics.get("users")[1], 0.0);
    assertEquals(7.0 / 30, metrics.get("share[loyalty_tier=none]")[0], 1e-12);
    assertEquals(4.0 / 15, metrics.get("share[loyalty_tier=none]")[1], 1e-12);
    assertEquals(3.0 / 15, metrics.get("share[loyalty_tier=platinum]")[1], 1e-12);
    assertEquals(r.segment("strat").fidelity().size(), metrics.size());
  }

  @Test
  public void theSameLakeCopiedElsewhereGivesTheSameIdsAndHashes() throws IOException {
    SnapshotResult here = shared(HALF).result();
    Path copy = temp.newFolder("copy").toPath();
    try (java.util.stream.Stream<Path> files = Files.walk(lake)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Path target = copy.resolve(lake.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
    Manifest moved = new ManifestLoader().lakeOverride(copy.toString()).load(java.nio.file.Path.of(manifest(HALF, "").file()));
    SnapshotResult there = run(moved, "run-B");
    assertEquals(here.segment("half").snapshotId(), there.segment("half").snapshotId());
    assertEquals(here.segment("half").contentHashes(), there.segment("half").contentHashes());
  }

  @Test
  public void snapshotIdDoesNotDependOnTheOrderInputsAreListedIn() throws IOException {
    Manifest m = manifest(segment("s", null, "{ policy: uniform, seed: 5, rate: 0.5 }"), "");
    java.util.LinkedHashMap<String, io.rehearsal.pipelines.io.TableSource> forward = new java.util.LinkedHashMap<>();
    java.util.LinkedHashMap<String, io.rehearsal.pipelines.io.TableSource> backward = new java.util.LinkedHashMap<>();
    for (String t : List.of("events", "users", "items")) {
      forward.put(t, m.input(t).atVersion(3L));
    }
    for (String t : List.of("items", "users", "events")) {
      backward.put(t, m.input(t).atVersion(3L));
    }
    SnapshotJob job = new SnapshotJob().manifest(m).salt(SALT);
    assertEquals(job.snapshotId(0, forward), job.snapshotId(0, backward));
    backward.put("items", m.input("items").atVersion(4L));
    assertNotEquals(job.snapshotId(0, forward), job.snapshotId(0, backward));
  }

  private static scala.collection.Seq<String> scalaSeq(String... s) {
    return io.rehearsal.transforms.Columns.using(s);
  }
}
