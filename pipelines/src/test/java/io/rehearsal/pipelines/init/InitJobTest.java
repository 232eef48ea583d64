package io.rehearsal.pipelines.init;

import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.lake.ImportJob;
import io.rehearsal.pipelines.lake.ImportResult;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.Assert;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * {@code init} on the shipped UCI Online Retail sample, then {@code import} with the scaffolded mapping, then
 * {@code init} on that lake. The expected counts and dates were computed once from the CSV with Python's csv module
 * (rows without a CustomerID 'NA' excluded, then UnitPrice <= 0, negative quantities returns): 20,000 rows read,
 * 5,078 missing_user_id, 1 non_positive_price, 14,921 kept (14,579 purchases, 342 returns), 3,049 users of whom 2,149
 * have two events or more, 2,508 distinct StockCodes, InvoiceDate from 2010-12-01 to 2011-12-09.
 */
public class InitJobTest extends SparkTestBase {

  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static Path folder;
  private static Path mapping;
  private static InitResult mappingResult;
  private static ImportResult imported;
  private static Path manifest;
  private static InitResult manifestResult;

  private static Path sample() {
    String root = System.getProperty("rehearsal.repo.root");
    Assert.assertTrue("system property rehearsal.repo.root must be set (surefire sets it)", root != null);
    return Path.of(root, "datasets/online-retail-sample/online_retail_sample.csv");
  }

  private InitJob init(String from, Path out) {
    return new InitJob().spark(spark()).from(from).out(out).runId("init-test").progress(Progress.silent());
  }

  /** The three steps once for the class; each test reads what they wrote. */
  private void scaffoldImportScaffold() throws Exception {
    if (manifestResult != null) {
      return;
    }
    // A new folder each time: when a step fails, the next test tries again and reports its own failure.
    folder = CLASS_TEMP.newFolder().toPath().resolve("my-data");
    mapping = folder.resolve("online-retail-mapping.yaml");
    mappingResult = init(sample().toString(), mapping).execute();
    imported = new ImportJob().spark(spark()).mapping(mapping).out(folder.resolve("lake").toString()).runId("import-test")
        .progress(Progress.silent()).execute();
    manifest = folder.resolve("online-retail.yaml");
    manifestResult = init(folder.resolve("lake").toString(), manifest).execute();
  }

  @Test
  public void theScaffoldedMappingImportsTheSampleWithTheCountsOfAnIndependentReading() throws Exception {
    scaffoldImportScaffold();
    Assert.assertEquals("mapping", mappingResult.kind());
    Assert.assertEquals("a configuration file, not a secret", "rw-r--r--",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(mapping)));
    String yaml = Files.readString(mapping);
    // The source path is relative to the mapping's folder, so the folder can move with the data.
    Assert.assertTrue(yaml, yaml.contains("  path: \"" + folder.relativize(sample()) + "\""));
    Assert.assertEquals(20_000, imported.rowsRead());
    Assert.assertEquals(14_921, imported.rowsKept());
    Assert.assertEquals(Map.of("non_positive_price", 1L, "missing_user_id", 5_078L), imported.rowsExcluded());
    Assert.assertEquals(14_579L, (long) imported.eventsByType().get("purchase"));
    Assert.assertEquals(342L, (long) imported.eventsByType().get("return"));
    Assert.assertEquals(3_049, imported.users());
    Assert.assertEquals(2_508, imported.items());
    Assert.assertTrue(mappingResult.summaryLines().toString(), mappingResult.summaryLines().contains(
        "  unused source columns: none"));
  }

  @Test
  public void theManifestFollowsTheLakesDatesAndComesWithASecretSalt() throws Exception {
    scaffoldImportScaffold();
    Manifest m = new ManifestLoader().load(manifest);
    Assert.assertEquals("online_retail", m.name());
    // 2010-12-01 .. 2011-12-09 (374 days): a 28-day horizon before 2011-12-10.
    Assert.assertEquals(LocalDate.parse("2011-11-12"), m.evaluation().cutoff());
    Assert.assertEquals(LocalDate.parse("2010-12-01"), m.segment("active_customers").windowStart());
    Assert.assertEquals(LocalDate.parse("2011-12-10"), m.segment("active_customers").windowEnd());
    String yaml = Files.readString(manifest);
    Assert.assertTrue(yaml, yaml.contains("# 2,149 users qualify; rate 1.0 keeps every one."));
    Assert.assertTrue(yaml, yaml.contains("14,921 events of 3,049 users,"));
    Path salt = folder.resolve("online-retail.salt");
    Assert.assertEquals(salt.toString(), manifestResult.saltFile());
    Assert.assertTrue(Files.readString(salt).matches("[0-9a-f]{64}"));
    Assert.assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(salt)));
    Assert.assertEquals("Next: bin/rehearsal run " + manifest + " --salt-file " + salt,
        manifestResult.summaryLines().get(manifestResult.summaryLines().size() - 1));
  }

  @Test
  public void anExistingFileIsKeptUnlessForcedAndTheSaltBesideAManifestAlwaysStays() throws Exception {
    scaffoldImportScaffold();
    String before = Files.readString(mapping);
    try {
      init(sample().toString(), mapping).execute();
      throw new AssertionError("expected a refusal");
    } catch (RehearsalException e) {
      Assert.assertEquals("Cannot scaffold from " + sample() + ": " + mapping + " already exists", e.problem() + ": " + e.causeText());
    }
    Assert.assertEquals(before, Files.readString(mapping));
    Path salt = folder.resolve("online-retail.salt");
    String secret = Files.readString(salt);
    init(folder.resolve("lake").toString(), manifest).force(true).execute();
    Assert.assertEquals("a salt changes every pseudonym: never replaced", secret, Files.readString(salt));
    try (var files = Files.list(folder)) {
      Assert.assertEquals("no temporary file left", List.of("lake", "online-retail-mapping.yaml", "online-retail.salt",
          "online-retail.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  @Test
  public void aSourceWhoseFormatIsNotClearIsRefusedNamingTheFix() throws Exception {
    Path json = CLASS_TEMP.newFolder("json").toPath().resolve("events.jsonl");
    Files.writeString(json, "{\"user\": 1}\n");
    Path out = CLASS_TEMP.getRoot().toPath().resolve("never.yaml");
    try {
      init(json.toString(), out).execute();
      throw new AssertionError("expected a refusal");
    } catch (RehearsalException e) {
      Assert.assertEquals("Cannot scaffold a mapping from " + json + ": its format is not clear from its name (events.jsonl)",
          e.problem() + ": " + e.causeText());
      Assert.assertTrue(e.getMessage(), e.getMessage().contains("pass --format csv, parquet or delta"));
    }
    Assert.assertFalse(Files.exists(out));
  }
}
