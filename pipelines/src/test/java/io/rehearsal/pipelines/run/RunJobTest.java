package io.rehearsal.pipelines.run;

import io.rehearsal.pipelines.testing.DemoLakeFixture;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import org.junit.Assert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.transforms.RehearsalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.junit.Before;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/**
 * {@code run} end to end on a generated demo lake (scale 1): the ledger's plan-then-result entries and hash
 * chain, identical content hashes for two runs of one manifest, idempotent reruns, resuming after the last
 * finished step, a failure that is recorded, tampering that verify-ledger names, and reproduce — matching,
 * then failing clearly once VACUUM removed a pinned version's files.
 */
public class RunJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static final String SALT = "run-test-salt";
  private static Path lake;
  /** A warehouse with two completed runs (a, b) of the evaluating manifest, made once for the class. */
  private static Path evaluated;
  private static RunResult runA;
  private static RunResult runB;
  private static Path evaluatedManifest;

  private Path folder;

  @Before
  public void lakeAndTwoRuns() throws IOException {
    folder = temp.newFolder("t").toPath();
    if (lake == null) {
      lake = DemoLakeFixture.seed42Scale1(spark());
      evaluated = CLASS_TEMP.newFolder("run-warehouse").toPath();
      // A secret in the session's conf must reach the record only redacted.
      spark().conf().set("spark.hadoop.fs.s3a.secret.key", "hunter2-not-for-records");
      try {
        evaluatedManifest = manifestFile(CLASS_TEMP.newFolder("run-manifest").toPath(), lake, evaluated, EVALUATION);
        runA = run(evaluatedManifest, "a", null, false);
        runB = run(evaluatedManifest, "b", null, false);
      } finally {
        // The session is shared with the test classes after this one: the setting must not reach their runs.
        spark().conf().unset("spark.hadoop.fs.s3a.secret.key");
      }
    }
  }

  private static final String FEATURES = "features:\n  as_of: { start: 2025-06-08, end: 2025-06-09 }\n";
  private static final String EVALUATION = FEATURES
      + "models:\n  baseline: { kind: popularity, version: pop-v1, scope: global, lookback_days: 30 }\n"
      + "  candidate: { kind: co_visitation, version: covis-v1, scope: global, lookback_days: 30, history: 5 }\n"
      + "evaluation:\n  cutoff: 2025-06-10\n  horizon_days: 21\n  k: [10]\n  bootstrap: { resamples: 200, seed: 5 }\n"
      + "gates:\n  primary: { metric: ndcg@10, margin: { relative: 0.02 }, mde: 0.05 }\n";

  private static Path manifestFile(Path dir, Path lake, Path warehouse, String rest) throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: r\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n"
        + "  - name: members\n    filter: \"loyalty_tier IN ('silver', 'gold', 'platinum')\"\n"
        + "    window: { start: 2025-03-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 3, rate: 0.5 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n" + rest;
    Path file = dir.resolve("manifest.yaml");
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private static RunResult run(Path manifest, String runId, RunStep only, boolean fresh) {
    return new RunJob().spark(org.apache.spark.sql.SparkSession.active()).store(new DeltaTableStore(org.apache.spark.sql.SparkSession.active()))
        .manifestFile(manifest).runId(runId).only(only).fresh(fresh).snapshotSalt(SALT).execute();
  }

  private static Map<String, String> hashes(JsonNode result) {
    Map<String, String> out = new LinkedHashMap<>();
    result.path("outputs").forEach(o -> out.put(o.path("table").asText(), o.path("content_hash").asText()));
    return out;
  }

  private List<LedgerEntry> ledger(Path warehouse) {
    return new Ledger(spark(), warehouse.toString()).entries();
  }

  @Test
  public void theLedgerHoldsThePlanBeforeTheResultAndTwoRunsHashTheSame() throws IOException {
    Assert.assertEquals("completed", runA.status());
    Assert.assertEquals(List.of("members"), List.copyOf(runA.segmentVerdicts().keySet()));
    Assert.assertEquals(runA.verdict(), runB.verdict());
    List<LedgerEntry> entries = ledger(evaluated);
    Assert.assertEquals(List.of("a/plan", "a/result", "b/plan", "b/result"),
        entries.stream().map(e -> e.runId() + "/" + e.kind()).toList());
    Assert.assertEquals(LedgerEntry.GENESIS, entries.get(0).prevSha256());
    for (int i = 1; i < entries.size(); i++) {
      Assert.assertEquals(entries.get(i - 1).sha256(), entries.get(i).prevSha256());
    }
    JsonNode plan = entries.get(0).body();
    Assert.assertEquals(64, plan.path("manifest").path("sha256").asText().length());
    Assert.assertEquals(List.of("events", "users", "items"),
        List.of(plan.path("inputs").get(0).path("name").asText(), plan.path("inputs").get(1).path("name").asText(),
            plan.path("inputs").get(2).path("name").asText()));
    Assert.assertEquals(0, plan.path("inputs").get(0).path("version").asLong());
    Assert.assertEquals(3, plan.path("seeds").path("members").asLong());
    Assert.assertEquals("3.5.9", plan.path("runtime").path("spark").asText());
    Assert.assertEquals("3.3.2", plan.path("runtime").path("delta").asText());
    Assert.assertEquals(RunPlan.REDACTED, plan.path("spark_conf").path("spark.hadoop.fs.s3a.secret.key").asText());
    Assert.assertTrue(plan.path("gates").path("primary").path("metric").asText().equals("ndcg@10"));

    // Same manifest, same pinned inputs: the same content in every snapshot, feature and metric table.
    Map<String, String> a = hashes(entries.get(1).body());
    Map<String, String> b = hashes(entries.get(3).body());
    Assert.assertTrue(a.keySet().containsAll(List.of("snapshots/events", "snapshots/users", "snapshots/items",
        "evaluation/r/metrics", "evaluation/r/user_metrics", "evaluation/r/gates")));
    Assert.assertTrue(a.keySet().stream().anyMatch(t -> t.startsWith("features/members-") && t.endsWith("/user_daily")));
    Assert.assertEquals(a, b);

    // The record file holds the same entries; the secret is nowhere in it, nor in the report.
    String record = Files.readString(Path.of(runA.recordFile()));
    assertFalse(record.contains("hunter2"));
    assertFalse(Files.readString(Path.of(runA.reportFile())).contains("hunter2"));
    JsonNode file = CanonicalJson.parse(record);
    Assert.assertEquals(entries.get(1).sha256(), file.path("entries").get(1).path("sha256").asText());
    Assert.assertTrue(Files.readString(Path.of(runA.summaryFile())).startsWith("## Rehearsal: " + runA.verdict()));

    LedgerVerifier.Verification v = new LedgerVerifier(spark(), evaluated.toString()).verify();
    Assert.assertEquals(List.of(), v.problems());
    Assert.assertEquals(4, v.entries());
    Assert.assertEquals(2, v.recordFiles());
    // Teardown removed the scratch folder; outputs stayed.
    assertFalse(Files.exists(evaluated.resolve("runs/a/_scratch")));
    Assert.assertTrue(Files.exists(evaluated.resolve("runs/a/snapshots/events/_delta_log")));
  }

  /**
   * The personal data the manifest declares (user_id, email and phone pseudonymized, full_name dropped) is in no
   * output of the run: no string column of any output table holds one of the lake's original values, and neither do
   * the record, the report or the summary. The original values are read from the lake's users table.
   */
  @Test
  public void noPersonalValueOfTheLakeIsInAnyOutput() throws IOException {
    Set<String> personal = new HashSet<>();
    for (Row r : spark().read().format("delta").load(lake.resolve("users").toString())
        .select("user_id", "email", "phone", "full_name").collectAsList()) {
      for (int i = 0; i < r.size(); i++) {
        if (!r.isNullAt(i)) {
          personal.add(r.getString(i));
        }
      }
    }
    Assert.assertTrue(personal.size() + " personal values", personal.size() > 3_000);
    Path run = evaluated.resolve("runs/a");
    List<OutputTables.Output> outputs = OutputTables.of(spark(), new DeltaTableStore(spark()), run.toString());
    Assert.assertTrue(outputs.size() + " output tables", outputs.size() >= 14);
    // A join with the values rather than a predicate listing them: planning thousands of literals per string column
    // cost more than the check itself.
    Dataset<Row> values = functions.broadcast(spark().createDataset(List.copyOf(personal), Encoders.STRING())
        .toDF("personal_value"));
    for (OutputTables.Output o : outputs) {
      Dataset<Row> table = spark().read().format("delta").load(o.path());
      List<Column> strings = new ArrayList<>();
      for (StructField f : table.schema().fields()) {
        if (f.dataType() instanceof StringType) {
          strings.add(functions.col("`" + f.name() + "`"));
        }
      }
      if (strings.isEmpty()) {
        continue;
      }
      Dataset<Row> cells = table.select(functions.explode(functions.array(strings.toArray(Column[]::new))).as("value"));
      Assert.assertEquals("string values of " + o.table() + " that are an original personal value", 0,
          cells.join(values, cells.col("value").equalTo(values.col("personal_value")), "left_semi").count());
    }
    for (String file : List.of("record.json", "report.html", "summary.md")) {
      String text = Files.readString(run.resolve(file));
      for (String value : personal) {
        assertFalse(file + " holds the personal value " + value, text.contains(value));
      }
    }
  }

  @Test
  public void rerunningACompletedRunChangesNothing() {
    RunResult again = run(evaluatedManifest, "a", null, false);
    Assert.assertEquals(List.of(), again.steps());
    Assert.assertEquals(runA.verdict(), again.verdict());
    Assert.assertEquals(4, ledger(evaluated).size());
  }

  /**
   * A process killed after its plan or result entry reached the ledger and before it saved the step: the resumed
   * step reuses that entry, so the ledger holds each once (KillAndResumeIT kills only the steps that write tables).
   */
  @Test
  public void anEntryAppendedByAKilledAttemptIsReusedNotAppendedTwice() throws IOException {
    Path copy = copyOf(evaluated);
    // Run a killed in its record step after the append: record, report and teardown unsaved.
    for (String step : List.of("record", "report", "teardown")) {
      Files.delete(copy.resolve("runs/a/_state/" + step + ".json"));
    }
    RunResult resumed = resumeIn(copy, "a", null);
    Assert.assertEquals(List.of(RunStep.RECORD, RunStep.REPORT, RunStep.TEARDOWN),
        resumed.steps().stream().map(StepOutcome::step).toList());
    Assert.assertEquals(runA.verdict(), resumed.verdict());
    // A new run k killed in its plan step after the append.
    resumeIn(copy, "k", RunStep.VALIDATE);
    resumeIn(copy, "k", RunStep.PLAN);
    Files.delete(copy.resolve("runs/k/_state/plan.json"));
    RunResult planned = resumeIn(copy, "k", RunStep.PLAN);
    Assert.assertEquals(RunStep.PLAN, planned.steps().get(0).step());
    Assert.assertEquals(List.of("a/plan", "a/result", "b/plan", "b/result", "k/plan"),
        ledger(copy).stream().map(e -> e.runId() + "/" + e.kind()).toList());
    Assert.assertEquals(List.of(), new LedgerVerifier(spark(), copy.toString()).verify().problems());
  }

  private static RunResult resumeIn(Path warehouse, String runId, RunStep only) {
    return new RunJob().spark(org.apache.spark.sql.SparkSession.active())
        .store(new DeltaTableStore(org.apache.spark.sql.SparkSession.active())).manifestFile(evaluatedManifest)
        .warehouse(warehouse.toString()).runId(runId).only(only).snapshotSalt(SALT).execute();
  }

  @Test
  public void aTamperedLedgerEntryOrRecordFileIsNamed() throws IOException {
    Path copy = copyOf(evaluated);
    // Edit the first result in place: lift append-only, rewrite its JSON, restore the property. (The forged
    // verdict is one no run has, so the edit changes the entry whatever the run's real verdict was.)
    String table = copy.resolve("ledger").toString();
    spark().sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES ('delta.appendOnly' = 'false')");
    DeltaTable.forPath(spark(), table).update(functions.col("seq").equalTo(1),
        Map.of("entry", functions.regexp_replace(functions.col("entry"), "\"verdict\":\"[A-Z]+\"", "\"verdict\":\"FORGED\"")));
    spark().sql("ALTER TABLE delta.`" + table + "` SET TBLPROPERTIES ('delta.appendOnly' = 'true')");
    // And change the verdict in run b's record file.
    Path recordB = copy.resolve("runs/b/record.json");
    String text = Files.readString(recordB);
    Files.writeString(recordB, text.replaceFirst("\"status\" : \"completed\"", "\"status\" : \"completd\""));

    LedgerVerifier.Verification v = new LedgerVerifier(spark(), copy.toString()).verify();
    List<String> problems = v.problems();
    String stored = ledger(evaluated).get(1).sha256();
    Assert.assertEquals(problems.toString(), 6, problems.size());
    Assert.assertEquals("ledger table version 5 is a SET TBLPROPERTIES, not an append: the ledger was changed in place",
        problems.get(0));
    Assert.assertEquals("ledger table version 6 is a UPDATE, not an append: the ledger was changed in place", problems.get(1));
    Assert.assertEquals("ledger table version 7 is a SET TBLPROPERTIES, not an append: the ledger was changed in place",
        problems.get(2));
    Assert.assertTrue(problems.get(3), problems.get(3).startsWith("entry 1 (run a, result): its content was changed after it "
        + "was written — stored SHA-256 " + stored + ", content hashes to "));
    // Run a's record file still holds the original entry, which is no longer what the ledger's row holds.
    Assert.assertEquals("run a: record file " + copy.resolve("runs/a/record.json") + ", entry 1 (result): differs from the "
        + "ledger's entry with the same SHA-256", problems.get(4));
    Assert.assertTrue(problems.get(5), problems.get(5).startsWith("run b: record file " + recordB + ", entry 3 (result): its "
        + "content was edited — it states SHA-256 " + ledger(evaluated).get(3).sha256() + ", content hashes to "));
  }

  @Test
  public void reproduceMatchesThenFailsClearlyOnceVacuumRemovedThePinnedVersion() throws IOException {
    Path ownLake = copyOf(lake);
    Path warehouse = temp.newFolder("w").toPath();
    Path manifest = manifestFile(folder, ownLake, warehouse, "");
    RunResult snapshotOnly = run(manifest, "c", null, false);
    Assert.assertEquals("completed", snapshotOnly.status());

    ReproduceJob.ReproduceResult reproduced = new ReproduceJob().spark(spark()).store(new DeltaTableStore(spark()))
        .warehouse(warehouse.toString()).runId("c").salt(SALT).execute();
    Assert.assertEquals(List.of("snapshots/events", "snapshots/fidelity", "snapshots/items", "snapshots/users"),
        reproduced.tables().stream().map(ReproduceJob.TableCheck::table).toList());
    Assert.assertTrue(reproduced.reproduced());
    assertFalse(Files.exists(warehouse.resolve("runs/c/_scratch/reproduce")));

    // A different salt pseudonymizes differently: reproduce says which tables differ.
    ReproduceJob.ReproduceResult wrongSalt = new ReproduceJob().spark(spark()).store(new DeltaTableStore(spark()))
        .warehouse(warehouse.toString()).runId("c").salt("another salt").execute();
    assertFalse(wrongSalt.reproduced());

    // A new version of events replaces every file of version 0, and VACUUM removes them.
    String events = ownLake.resolve("events").toString();
    spark().read().format("delta").load(events).write().format("delta").mode("overwrite").save(events);
    spark().conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "false");
    DeltaTable.forPath(spark(), events).vacuum(0);
    spark().conf().set("spark.databricks.delta.retentionDurationCheck.enabled", "true");
    RehearsalException e = assertThrows(RehearsalException.class, () -> new ReproduceJob().spark(spark())
        .store(new DeltaTableStore(spark())).warehouse(warehouse.toString()).runId("c").salt(SALT).execute());
    Assert.assertTrue(e.getMessage(), e.getMessage().startsWith("Cannot reproduce run c: input 'events' at " + events
        + " version 0 is no longer readable: "));
    Assert.assertTrue(e.getMessage(), e.getMessage().contains(" data files are gone (e.g. part-"));
    Assert.assertTrue(e.getMessage(), e.getMessage().contains("removed by VACUUM after a newer version replaced them"));

    // The record states its content-hash scheme; a record that states none (made under scheme 1, which hashed
    // doubles exactly) is not compared: reproduce says why instead of listing differences.
    Ledger ledger = new Ledger(spark(), warehouse.toString());
    JsonNode recorded = ledger.entries().stream().filter(x -> x.runId().equals("c") && x.kind().equals("result"))
        .reduce((a, b) -> b).orElseThrow().body();
    Assert.assertEquals(OutputTables.HASH_SCHEME, recorded.path("hash_scheme").asInt());
    ledger.append("c", LedgerEntry.RESULT, ((ObjectNode) recorded.deepCopy()).without("hash_scheme"));
    RehearsalException older = assertThrows(RehearsalException.class, () -> new ReproduceJob().spark(spark())
        .store(new DeltaTableStore(spark())).warehouse(warehouse.toString()).runId("c").salt(SALT).execute());
    Assert.assertEquals("Cannot compare the content hashes of run c: its record hashed the tables under content-hash "
        + "scheme 1 (it states none: recorded before schemes were stated) and this Rehearsal hashes under scheme 2, "
        + "so equal tables could show as different. Fix: reproduce it with the Rehearsal that made it (code commit "
        + recordedCommit(ledger) + " in its plan), or run its manifest again for a record under scheme 2",
        older.getMessage());
  }

  private static String recordedCommit(Ledger ledger) {
    return ledger.entries().stream().filter(x -> x.runId().equals("c") && x.kind().equals("plan")).findFirst()
        .orElseThrow().body().path("code").path("commit").asText("unknown");
  }

  @Test
  public void aRunResumesAfterItsLastFinishedStepAndAFailureIsRecorded() throws IOException {
    Path warehouse = temp.newFolder("w").toPath();
    Path manifest = manifestFile(folder, lake, warehouse, FEATURES);
    run(manifest, "d", RunStep.VALIDATE, false);
    RehearsalException early = assertThrows(RehearsalException.class, () -> run(manifest, "d", RunStep.BACKFILL, false));
    Assert.assertEquals("Cannot run step 'backfill' of run d: it reads the outputs of step 'snapshot', which has not finished "
        + "in this run (finished: validate). Fix: run --step snapshot with the same --run-id first, or run without "
        + "--step to do every step", early.getMessage());
    run(manifest, "d", RunStep.PLAN, false);
    run(manifest, "d", RunStep.SNAPSHOT, false);
    // A step that has finished is not redone (an Airflow retry): no second plan entry, no second snapshot.
    Assert.assertEquals(List.of(), run(manifest, "d", RunStep.PLAN, false).steps());
    Assert.assertEquals(List.of(), run(manifest, "d", RunStep.SNAPSHOT, false).steps());
    RunResult resumed = run(manifest, "d", null, false);
    Assert.assertEquals(List.of(RunStep.VALIDATE, RunStep.PLAN, RunStep.SNAPSHOT), resumed.alreadyDone());
    Assert.assertEquals(RunStep.BACKFILL, resumed.steps().get(0).step());
    Assert.assertEquals("completed", resumed.status());
    // The snapshot was written once: resuming did not redo it.
    Assert.assertEquals(1, DeltaTable.forPath(spark(), warehouse.resolve("runs/d/snapshots/events").toString()).history().count());

    // Run e fails at backfill (its snapshot vanished); the failure is recorded, then --fresh starts over.
    run(manifest, "e", RunStep.VALIDATE, false);
    run(manifest, "e", RunStep.PLAN, false);
    run(manifest, "e", RunStep.SNAPSHOT, false);
    deleteRecursively(warehouse.resolve("runs/e/snapshots/events"));
    assertThrows(RehearsalException.class, () -> run(manifest, "e", null, false));
    Assert.assertEquals(1, ledger(warehouse).stream().filter(x -> x.runId().equals("d") && x.kind().equals("plan")).count());
    List<LedgerEntry> entries = ledger(warehouse).stream().filter(x -> x.runId().equals("e")).toList();
    Assert.assertEquals(List.of("plan", "result"), entries.stream().map(LedgerEntry::kind).toList());
    JsonNode failed = entries.get(1).body();
    Assert.assertEquals("failed", failed.path("status").asText());
    Assert.assertEquals("ERROR", failed.path("verdict").asText());
    Assert.assertEquals("backfill", failed.path("failure").path("step").asText());
    Assert.assertTrue(Files.readString(warehouse.resolve("runs/e/report.html")).contains("ERROR"));
    // Without a salt, a run that would snapshot is refused before it writes anything: a new run leaves no
    // workspace and no ledger entry, and --fresh does not remove the failed run's workspace first.
    for (String[] refused : new String[][] {{"f", "false"}, {"e", "true"}}) {
      RehearsalException noSalt = assertThrows(RehearsalException.class, () -> new RunJob().spark(spark())
          .store(new DeltaTableStore(spark())).manifestFile(manifest).runId(refused[0])
          .fresh(Boolean.parseBoolean(refused[1])).execute());
      Assert.assertEquals("Cannot snapshot run " + refused[0] + ": no pseudonymization salt was given. Fix: set "
          + "REHEARSAL_PSEUDONYM_SALT or REHEARSAL_PSEUDONYM_SALT_FILE, or pass --salt-file FILE", noSalt.getMessage());
    }
    Assert.assertFalse(Files.exists(warehouse.resolve("runs/f")));
    Assert.assertTrue(Files.exists(warehouse.resolve("runs/e/report.html")));
    Assert.assertEquals(List.of("plan", "result"),
        ledger(warehouse).stream().filter(x -> !x.runId().equals("d")).map(LedgerEntry::kind).toList());
    RunResult fresh = run(manifest, "e", null, true);
    Assert.assertEquals("completed", fresh.status());
    Assert.assertEquals(List.of(), fresh.alreadyDone());
    Assert.assertEquals(List.of("plan", "result", "plan", "result"),
        ledger(warehouse).stream().filter(x -> x.runId().equals("e")).map(LedgerEntry::kind).toList());
    Assert.assertEquals(List.of(), new LedgerVerifier(spark(), warehouse.toString()).verify().problems());
  }

  @Test
  public void concurrentAppendsKeepOneChain() throws Exception {
    Path warehouse = temp.newFolder("w").toPath();
    Ledger ledger = new Ledger(spark(), warehouse.toString());
    ledger.append("first", LedgerEntry.PLAN, CanonicalJson.parse("{\"n\":0}"));
    List<Thread> writers = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int w = 0; w < 2; w++) {
      String run = "writer-" + w;
      writers.add(new Thread(() -> {
        try {
          for (int i = 0; i < 3; i++) {
            ledger.append(run, LedgerEntry.PLAN, CanonicalJson.parse("{\"n\":" + i + "}"));
          }
        } catch (Throwable t) {
          errors.add(t);
        }
      }));
    }
    writers.forEach(Thread::start);
    for (Thread t : writers) {
      t.join();
    }
    Assert.assertEquals(List.of(), errors);
    List<LedgerEntry> entries = ledger.entries();
    Assert.assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L), entries.stream().map(LedgerEntry::seq).toList());
    Assert.assertEquals(List.of(), new LedgerVerifier(spark(), warehouse.toString()).verify().problems());
    assertNotEquals(entries.get(1).sha256(), entries.get(2).sha256());
  }

  /**
   * Two runs starting at once on a warehouse without a ledger both create it. Before, one of them failed with Delta's
   * DELTA_PROTOCOL_CHANGED (two CREATE TABLE commits of version 0), seen in KillAndResumeIT; the threads meet at a
   * barrier just before their first append, five times over, so the creations overlap.
   */
  @Test
  public void twoRunsStartingAtOnceOnANewWarehouseBothCreateTheLedger() throws Exception {
    for (int round = 0; round < 5; round++) {
      String warehouse = temp.newFolder("new-" + round).toString();
      java.util.concurrent.CyclicBarrier barrier = new java.util.concurrent.CyclicBarrier(2);
      List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
      List<Thread> runs = new ArrayList<>();
      for (int w = 0; w < 2; w++) {
        String run = "run-" + w;
        runs.add(new Thread(() -> {
          try {
            Ledger own = new Ledger(spark(), warehouse);
            barrier.await();
            own.append(run, LedgerEntry.PLAN, CanonicalJson.parse("{\"n\":0}"));
          } catch (Throwable t) {
            errors.add(t);
          }
        }));
      }
      runs.forEach(Thread::start);
      for (Thread t : runs) {
        t.join();
      }
      Assert.assertEquals("round " + round, List.of(), errors);
      Assert.assertEquals(List.of(0L, 1L), new Ledger(spark(), warehouse).entries().stream().map(LedgerEntry::seq).toList());
      Assert.assertEquals(List.of(), new LedgerVerifier(spark(), warehouse).verify().problems());
    }
  }

  private Path copyOf(Path source) throws IOException {
    Path target = temp.newFolder().toPath().resolve(source.getFileName());
    org.apache.commons.io.FileUtils.copyDirectory(source.toFile(), target.toFile());
    return target;
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
