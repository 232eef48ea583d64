package io.rehearsal.pipelines.jobs;

import static org.junit.Assert.assertEquals;

import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.generate.DemoLake;
import io.rehearsal.transforms.generate.DemoLakeGenerator;
import io.rehearsal.transforms.hash.ContentHash;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

/** {@link GenerateJob} against real Delta tables in a temporary folder. */
public class GenerateJobTest extends SparkTestBase {

  private static final long SEED = 7L;

  private GenerateResult run(String out, String runId, Progress progress) {
    return GenerateJob.builder(spark()).seed(SEED).scale(1).outDir(out).runId(runId).progress(progress).build().execute();
  }

  private Dataset<Row> read(String path) {
    return spark().read().format("delta").load(path);
  }

  private Map<Long, String> userMetadataByVersion(String path) {
    Map<Long, String> byVersion = new HashMap<>();
    for (Row r : DeltaTable.forPath(spark(), path).history().select("version", "userMetadata").collectAsList()) {
      byVersion.put(r.getLong(0), r.getString(1));
    }
    return byVersion;
  }

  private static List<String> namesAndTypes(StructType schema) {
    return Arrays.stream(schema.fields()).map(f -> f.name() + " " + f.dataType().simpleString()).toList();
  }

  @Test
  public void writesTheCanonicalTablesAsDeltaAndReportsWhatItWrote() throws Exception {
    File out = temp.newFolder("lake");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    GenerateResult result = run(out.getPath() + "/", "run-first", Progress.to(new PrintStream(printed, true, StandardCharsets.UTF_8)));

    assertEquals(CanonicalTables.ALL, List.copyOf(result.tables().keySet()));
    assertEquals(out.getAbsolutePath(), result.outDir());
    DemoLake expected = DemoLakeGenerator.builder().seed(SEED).scale(1).build().generate(spark());
    for (String table : CanonicalTables.ALL) {
      CommitInfo commit = result.tables().get(table);
      assertEquals(out.getAbsolutePath() + "/" + table, commit.path());
      assertEquals(out.getAbsolutePath() + "/" + table, result.paths().get(table));
      assertEquals(Long.valueOf(0), result.deltaVersions().get(table));
      Dataset<Row> written = read(commit.path());
      // Delta declares every column of a DataFrame-written table nullable; names, order and types must match.
      assertEquals(table + " columns", namesAndTypes(CanonicalTables.schemaOf(table)), namesAndTypes(written.schema()));
      assertEquals(table + " rows", written.count(), (long) result.rows().get(table));
      assertEquals(table + " hash", ContentHash.of(written), result.contentHashes().get(table));
      assertEquals(table + " written as generated", ContentHash.of(expected.table(table)), result.contentHashes().get(table));
      assertEquals(Map.of(0L, "run-first"), userMetadataByVersion(commit.path()));
    }
    Assert.assertTrue(result.rows().get(CanonicalTables.EVENTS) > 50_000);
    Assert.assertTrue(result.elapsed().toMillis() > 0);

    List<String> lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
    assertEquals("one progress line per table: " + lines, 3, lines.size());
    for (String table : CanonicalTables.ALL) {
      String count = Progress.count(result.rows().get(table));
      Assert.assertTrue(lines.toString(), lines.stream().anyMatch(l -> l.matches("\\[\\s*\\d+\\.\\ds\\] .*")
          && l.contains(" " + count + " " + table + " rows") && l.contains("/lake/" + table)));
    }
  }

  @Test
  public void reRunningWritesNewVersionsWithTheSameContentAndNoDuplicates() throws Exception {
    String out = temp.newFolder("lake").getPath();
    GenerateResult first = run(out, "run-a", Progress.silent());
    GenerateResult second = run(out, "run-b", Progress.silent());

    assertEquals(first.contentHashes(), second.contentHashes());
    assertEquals(first.rows(), second.rows());
    for (String table : CanonicalTables.ALL) {
      assertEquals(Long.valueOf(1), second.deltaVersions().get(table));
      assertEquals(Map.of(0L, "run-a", 1L, "run-b"), userMetadataByVersion(second.paths().get(table)));
      assertEquals(table + " rows", (long) second.rows().get(table), read(second.paths().get(table)).count());
    }
    Dataset<Row> events = read(second.paths().get(CanonicalTables.EVENTS));
    assertEquals("no duplicate events", events.count(), events.select("event_id").distinct().count());
    Dataset<Row> users = read(second.paths().get(CanonicalTables.USERS));
    assertEquals("no duplicate users", 1_000L, users.select("user_id").distinct().count());
    assertEquals(1_000L, users.count());
  }

  @Test
  public void invalidArgumentsAreRejectedBeforeAnythingIsWritten() throws Exception {
    String out = temp.newFolder("lake").getPath();
    assertMessage("Cannot generate demo lake: scale must be >= 1, got 0",
        () -> GenerateJob.builder(spark()).scale(0).outDir(out).runId("r").build());
    assertMessage("Cannot generate demo lake: no output directory was given (--out)",
        () -> GenerateJob.builder(spark()).runId("r").build());
    assertMessage("Cannot generate demo lake: the run id is blank: ' '",
        () -> GenerateJob.builder(spark()).outDir(out).runId(" ").build());
    File file = temp.newFile("not-a-dir");
    assertMessage("Cannot generate demo lake: the output path " + file.getAbsolutePath() + " exists and is not a directory",
        () -> GenerateJob.builder(spark()).outDir(file.getPath()).runId("r").build());
    assertEquals(0, new File(out).list().length);
  }

  private static void assertMessage(String expected, Runnable action) {
    try {
      action.run();
      Assert.fail("expected: " + expected);
    } catch (RehearsalException e) {
      assertEquals(expected, e.getMessage());
      assertEquals(RehearsalException.Kind.INVALID_INPUT, e.kind());
    }
  }
}
