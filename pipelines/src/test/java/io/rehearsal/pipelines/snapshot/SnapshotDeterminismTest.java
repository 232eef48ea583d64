package io.rehearsal.pipelines.snapshot;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.testing.TinyLake;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Same manifest + same pinned inputs ⇒ same snapshot ids and content hashes, whatever the core count,
 * shuffle partitions and execution path (generated code and adaptive execution, or interpreted plans). This
 * class owns its sessions because it needs two different masters one after the other: it stops the unit tests'
 * shared session first (the next class starts it again).
 */
public class SnapshotDeterminismTest {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void withoutTheSharedSession() {
    SparkTestBase.stopSharedSession();
  }

  private static final String SEGMENTS = String.join("\n",
      "segments:",
      "  - name: uniform_rate",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: uniform, seed: 21, rate: 0.5 }",
      "  - name: uniform_size",
      "    filter: \"loyalty_tier <> 'none'\"",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: uniform, seed: 22, size: 9 }",
      "  - name: stratified",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: stratified, stratify_by: country, seed: 23, rate: 0.4 }",
      "  - name: revenue",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: revenue_weighted, seed: 24, size: 6 }",
      "  - name: head",
      "    window: { start: 2025-01-01, end: 2025-02-01 }",
      "    sampling: { policy: head_tail, catalog_part: head, head_items_share: 0.3, seed: 25, rate: 0.9 }",
      "privacy:",
      "  pseudonymize: [user_id, email]",
      "  drop: [full_name]",
      "");

  @Test
  public void identicalAcrossCoresAndShufflePartitions() throws IOException {
    Path lake = temp.newFolder("lake").toPath();
    Path manifestFile = temp.newFile("m.yaml").toPath();
    Files.write(manifestFile, ("apiVersion: rehearsal/v1\nname: det\nlake: " + lake + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n" + SEGMENTS)
        .getBytes(StandardCharsets.UTF_8));

    // Spark's defaults (generated code, adaptive execution) on one core, then the small profile's (interpreted
    // plans, no adaptive execution; conf/profiles/small.conf) on two: the execution path must not matter either.
    Map<String, String> one = runWith("local[1]", 3, lake, manifestFile, true, false);
    Map<String, String> two = runWith("local[2]", 17, lake, manifestFile, false, true);

    assertEquals(5 * 4, one.size());
    assertEquals(one, two);
    assertNotEquals(one.get("uniform_rate/events"), one.get("stratified/events"));
  }

  /** Returns "segment/table" → hash, plus "segment/id" → snapshot id. */
  private Map<String, String> runWith(String master, int shufflePartitions, Path lake, Path manifestFile, boolean writeLake,
      boolean interpreted) throws IOException {
    SparkSession.Builder builder = SparkSession.builder();
    if (interpreted) {
      builder.config("spark.sql.codegen.wholeStage", "false").config("spark.sql.codegen.factoryMode", "NO_CODEGEN")
          .config("spark.sql.adaptive.enabled", "false");
    }
    SparkSession spark = builder
        .master(master)
        .appName("determinism-" + master)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", String.valueOf(shufflePartitions))
        .config("spark.default.parallelism", String.valueOf(shufflePartitions))
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .config("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .config("spark.databricks.delta.snapshotPartitions", "2")
        .getOrCreate();
    try {
      if (writeLake) {
        TinyLake.write(spark, lake);
      }
      Manifest manifest = new ManifestLoader().warehouseOverride(temp.newFolder().toString()).load(manifestFile);
      SnapshotResult result = new SnapshotJob().spark(spark).store(new DeltaTableStore(spark))
          .manifest(manifest).salt("determinism").runId("run-" + master).execute();
      Map<String, String> out = new LinkedHashMap<>();
      for (SegmentSnapshot s : result.segments()) {
        out.put(s.segment() + "/id", s.snapshotId());
        s.contentHashes().forEach((table, hash) -> out.put(s.segment() + "/" + table, hash));
      }
      return out;
    } finally {
      spark.stop();
      SparkTestBase.forgetSessions();
    }
  }
}
