package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehearsal.pipelines.testing.HeadlessChromium;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Assert;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** End to end through bin/rehearsal and a real spark-submit, against the packaged application jar. */
public class LauncherIT {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final Path ROOT = Launcher.ROOT;
  private static final String E2E_RUN = "e2e-cluster";

  private Outcome run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return Launcher.run(temp, env, args);
  }

  @Test
  public void helpListsEverySubcommand() throws Exception {
    Outcome o = run(Map.of(), "--help");
    assertEquals(o.stderr(), 0, o.exitCode());
    for (String sub : List.of("demo", "run", "show", "verify-ledger", "reproduce", "generate", "init", "import", "validate",
        "snapshot", "backfill", "parity", "drift", "simulate", "evaluate")) {
      assertTrue(sub + " missing from:\n" + o.stdout(), o.stdout().contains("  " + sub + " "));
    }
    assertTrue(o.stdout(), o.stdout().contains("Exit codes: 0 success, 1 runtime failure, 2 invalid input or usage,\n3 a check "
        + "failed (parity, drift alert, gate verdict FAIL, simulation failures).\n"));
    Assert.assertFalse("help ends with a JSON line:\n" + o.stdout(), o.stdout().strip().endsWith("}"));
  }

  @Test
  public void unknownOptionIsAUsageErrorWithExitTwo() throws Exception {
    Outcome o = run(Map.of(), "snapshot", "--no-such-option", "manifests/demo.yaml");
    assertEquals(2, o.exitCode());
    assertTrue(o.stderr(), o.stderr().contains("Unknown option: '--no-such-option'"));
    // Every subcommand ends its standard output with one line of JSON, for schedulers (Airflow's XCom).
    assertEquals("{\"command\":\"snapshot\",\"exit_code\":2,\"run_id\":null,\"status\":\"invalid_input\"}\n", o.stdout());
  }

  @Test
  public void brokenManifestExitsTwoNamingTheField() throws Exception {
    Path broken = temp.newFile("broken.yaml").toPath();
    Files.writeString(broken, Files.readString(ROOT.resolve("manifests/demo.yaml")).replace("rate: 0.6", "rate: 1.5"));
    Outcome o = run(Map.of(), "validate", broken.toString());
    assertEquals(o.stderr(), 2, o.exitCode());
    assertTrue(o.stderr(), o.stderr().contains("error: Manifest " + broken + " is invalid (1 problem):\n"
        + "  - segments[1].sampling.rate: must be <= 1, got 1.5\n"));
    String[] lines = o.stdout().strip().split("\n");
    assertEquals("{\"command\":\"validate\",\"exit_code\":2,\"run_id\":null,\"status\":\"invalid_input\"}",
        lines[lines.length - 1]);
  }

  /**
   * manifests/e2e.yaml (every step and sampling policy of the demo, trimmed) on the seed-42 scale-1 demo lake, in one
   * {@code run} on a real multi-JVM Spark cluster through spark-submit: a master, two workers, two executor JVMs of
   * one core and 2 GB each. bin/test makes this run in a lane of its own beside Maven ({@code REHEARSAL_E2E_RUN}
   * names its folder: {@code stdout}, {@code stderr}, {@code exit-code}, {@code lake}, {@code warehouse/}) and
   * then runs the Airflow PR DAG step by step in local mode on the same lake: airflow-dags/tests/test_e2e.py asserts
   * that every output table of the DAG's run has the content hash of this one-shot cluster run, and the same verdict
   * — so no result depends on local versus cluster mode, driver-side state, or how the steps are split into Spark
   * applications. Without the variable this test makes the cluster run itself, in pipelines/target/e2e-run.
   */
  @Test
  public void theTrimmedRunOnALocalClusterFailsWithExitThreeAndIsRecordedShownVerifiedAndReproduced() throws Exception {
    Outcome run;
    Path shared;
    String lake;
    String lane = System.getenv("REHEARSAL_E2E_RUN");
    if (lane != null && !lane.isBlank()) {
      shared = Path.of(lane);
      run = Launcher.awaitLane(shared, 45);
      lake = Files.readString(shared.resolve("lake")).strip();
    } else {
      shared = ROOT.resolve("pipelines/target/e2e-run");
      deleteRecursively(shared);
      Files.createDirectories(shared);
      lake = Launcher.scaleOneLake(temp).toString();
      Files.createDirectories(shared.resolve("eventlog"));
      run = run(Map.of(), "run", "manifests/e2e.yaml", "--lake", lake, "--warehouse", shared.resolve("warehouse").toString(),
          "--salt-file", "conf/demo-salt.txt", "--run-id", E2E_RUN, "--master", "local-cluster[2,1,2048]",
          "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + shared.resolve("eventlog").toUri());
      Files.writeString(shared.resolve("run-id"), E2E_RUN + "\n");
      Files.writeString(shared.resolve("lake"), lake + "\n");
    }
    String warehouse = shared.resolve("warehouse").toString();
    String out = run.stdout();
    // `run` exits 3 on a FAIL verdict (the demo subcommand turns its intended FAIL into 0; DemoVerdictIT checks that).
    assertEquals(out + run.stderr(), RehearsalCli.EXIT_CHECK_FAILED, run.exitCode());
    // A clean console: Spark's own lines only at ERROR without --verbose (issue 23; this run printed Spark's WARN lines
    // "Broadcasting large task binary" and "the checkpoint directory must not be on the local filesystem").
    Pattern sparkLogLine = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d (WARN|INFO|DEBUG) ");
    assertEquals(run.stderr(), List.of(), run.stderr().lines().filter(l -> sparkLogLine.matcher(l).find()).toList());
    for (String segment : List.of("loyalty_members", "first_time_buyers", "high_value", "long_tail_shoppers")) {
      assertTrue(segment + " missing:\n" + out, out.contains("\n  " + segment + "  [" + segment + "-"));
    }
    assertTrue(out, out.contains("share[loyalty_tier=gold]"));
    assertTrue(out, out.contains("events_per_user_p90"));
    assertEquals(4, hashes(out).size());
    // Backfill (two as-of days per featured segment and entity), parity against the full lake, the drift suite,
    // the catalog simulation and the ranking regression, each with its summary.
    assertTrue(out, out.contains("\n  loyalty_members      user  FULL                2      0"));
    assertTrue(out, out.contains("\n  first_time_buyers    item  FULL                2      0"));
    assertTrue(out, out.contains("): PASS\n  baseline: profile of the full lake " + lake));
    assertTrue(out, out.contains("\nDrift of run " + E2E_RUN));
    assertTrue(out, out.contains("\nSimulation: PASS — every model gave valid lists"));
    assertTrue(out, out.contains("\nVerdict: FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n"));
    // The run ends with its own verdict, the gate table, the record and report, and one line of JSON.
    String[] lines = out.strip().split("\n");
    Matcher json = Pattern.compile("^\\{\"record\":\"(\\S+/runs/" + E2E_RUN + "/record\\.json)\",\"report\":\"(\\S+/report\\.html)\","
        + "\"run_id\":\"" + E2E_RUN + "\",\"status\":\"completed\",\"verdict\":\"FAIL\"}$").matcher(lines[lines.length - 1]);
    assertTrue(out, json.find());
    assertTrue(out, out.contains("\nVerdict of run " + E2E_RUN + ": FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n  segment "));
    assertTrue(out, out.contains("\nReport: " + warehouse + "/runs/" + E2E_RUN + "/report.html\n"));
    assertTrue(Launcher.outputHashes(Path.of(json.group(1))).toString(), Launcher.outputHashes(Path.of(json.group(1))).size() >= 20);

    // The record: shown, intact, reproducible; the report as a browser shows it.
    Outcome show = run(Map.of(), "show", E2E_RUN, "--warehouse", warehouse);
    assertEquals(show.stdout() + show.stderr(), 0, show.exitCode());
    assertTrue(show.stdout(), show.stdout().contains("\n  status    completed, verdict FAIL\n"));
    assertTrue(show.stdout(), show.stdout().contains("\n  input     events   " + lake + "/events v0\n"));
    // The application jar (one shaded jar, one manifest) still records which Delta wrote the tables.
    assertTrue(show.stdout(), show.stdout().contains("\n  runtime   spark 3.5.9, delta 3.3.2, java "));
    // --json: the whole output is one JSON document (no result line appended after it).
    Outcome shownJson = run(Map.of(), "show", E2E_RUN, "--warehouse", warehouse, "--json");
    assertEquals(shownJson.stdout() + shownJson.stderr(), 0, shownJson.exitCode());
    JsonNode shownRecord = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .readTree(shownJson.stdout());
    assertEquals(E2E_RUN, shownRecord.path("run_id").asText());
    Outcome verify = run(Map.of(), "verify-ledger", "--warehouse", warehouse);
    assertEquals(verify.stdout() + verify.stderr(), 0, verify.exitCode());
    assertTrue(verify.stdout(), verify.stdout().contains("is intact: 2 entries of 1 run(s), hash chain unbroken, 1 record "
        + "file(s) match"));
    // Reproduced in local mode: the snapshots and features of the cluster run, re-materialized, hash the same.
    Outcome reproduce = run(Map.of(), "reproduce", E2E_RUN, "--warehouse", warehouse, "--salt-file", "conf/demo-salt.txt");
    assertEquals(reproduce.stdout() + reproduce.stderr(), 0, reproduce.exitCode());
    assertTrue(reproduce.stdout(), reproduce.stdout().contains("Reproduction of run " + E2E_RUN + ": every content hash matches"));
    assertTrue(reproduce.stdout(), Pattern.compile("\n  MATCH +features/loyalty_members-\\S+/user_daily ").matcher(
        reproduce.stdout()).find());
    String dom = HeadlessChromium.dumpDom(Path.of(json.group(2)), temp.newFolder().toPath());
    assertTrue(dom, dom.contains("Verdict: FAIL"));
    assertTrue(dom, dom.contains("<svg id=\"forest\""));
    assertNoSaltNorPersonalValue(shared, Path.of(lake), List.of(run, show, shownJson, verify, reproduce));
  }

  /**
   * Neither the pseudonymization salt nor any personal value of the lake (every user's id, email, phone and name:
   * PersonalData) is in any text the run left: its console output and that of the commands run on it, every file
   * of the warehouse but the Parquet data (the record, report, summary, step findings, every Delta log entry), and
   * Spark's event log of the run (every query's plan, job description and setting; tens of MB, read line by line).
   * The output tables' Parquet data is scanned for personal values by RunJobTest#noPersonalValueOfTheLakeIsInAnyOutput.
   */
  private static void assertNoSaltNorPersonalValue(Path shared, Path lake, List<Outcome> outcomes) throws IOException {
    String salt = Files.readString(ROOT.resolve("conf/demo-salt.txt")).strip();
    PersonalData personal = PersonalData.ofLake(lake);
    // The scan finds a value of each shape where one is (an id, an email, a phone, a name), inside a plan's text too.
    assertEquals(4, personal.sample().size());
    for (String v : personal.sample()) {
      assertEquals(v, personal.firstIn("{\"plan\":\"Filter (isnotnull(x#12) AND (x#12 = " + v + "))\"}"));
    }
    for (Outcome o : outcomes) {
      assertFalse("the salt in a command's output", (o.stdout() + o.stderr()).contains(salt));
      personal.assertNoneIn("a command's output", o.stdout() + o.stderr());
    }
    List<Path> texts;
    try (var paths = Files.walk(shared.resolve("warehouse"))) {
      texts = paths.filter(Files::isRegularFile).filter(f -> !f.toString().endsWith(".parquet")).toList();
    }
    assertTrue(texts.toString(), texts.size() > 100);
    for (Path f : texts) {
      String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
      assertFalse("the salt in " + f, text.contains(salt));
      personal.assertNoneIn(f.toString(), text);
    }
    List<Path> eventLogs;
    try (var paths = Files.list(shared.resolve("eventlog"))) {
      eventLogs = paths.toList();
    }
    assertEquals("one event log: " + eventLogs, 1, eventLogs.size());
    long lines = personal.assertNoneInFile(eventLogs.get(0));
    assertTrue("an event log of " + lines + " lines", lines > 1_000);
    try (var in = Files.lines(eventLogs.get(0), StandardCharsets.UTF_8)) {
      assertFalse("the salt in the event log", in.anyMatch(line -> line.contains(salt)));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (var paths = Files.walk(dir)) {
        for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  /**
   * bin/rehearsal maps the classes every command loads from its start-up class archive (JDK class-data sharing, made
   * once per Java and Spark install on first use): the driver JVM's class-loading log names the archive as the source
   * of SparkSession; with REHEARSAL_CDS=false, or with the flight recorder in the driver's options (OpenJDK 17.0.15
   * crashed at start with both, exit 134), the same class comes from Spark's jar. The command and its result do not
   * change either way.
   */
  @Test
  public void commandsLoadSparkFromTheStartupClassArchiveUnlessSwitchedOff() throws Exception {
    String lake = temp.newFolder("no-lake").toString();
    for (String way : List.of("archived", "switched-off", "recorded")) {
      boolean archived = way.equals("archived");
      Path log = temp.getRoot().toPath().resolve("classes-" + way + ".log");
      String recorder = way.equals("recorded")
          ? " -XX:StartFlightRecording=filename=" + temp.getRoot().toPath().resolve("validate.jfr") : "";
      Outcome o = run(way.equals("switched-off") ? Map.of("REHEARSAL_CDS", "false") : Map.of(),
          "--conf", "spark.driver.defaultJavaOptions=-XX:+UseParallelGC -Xlog:class+load=info:file=" + log + recorder,
          "validate", "manifests/e2e.yaml", "--lake", lake);
      assertEquals(o.stderr(), 2, o.exitCode());
      assertTrue(o.stdout(), o.stdout().endsWith("{\"command\":\"validate\",\"exit_code\":2,\"run_id\":null,\"status\":\"invalid_input\"}\n"));
      Matcher source = Pattern.compile("\\] org\\.apache\\.spark\\.sql\\.SparkSession source: (.*)\n").matcher(Files.readString(log));
      assertTrue(log.toString(), source.find());
      if (archived) {
        assertEquals("shared objects file (top)", source.group(1));
      } else {
        assertTrue(source.group(1), source.group(1).matches("file:.*/spark-sql_2\\.12-3\\.5\\.9\\.jar"));
      }
    }
  }

  @Test
  public void snapshotWithoutASaltIsRefused() throws Exception {
    Outcome o = run(Map.of(), "snapshot", "manifests/demo.yaml", "--lake", temp.newFolder().toString(), "--warehouse", temp.newFolder().toString());
    assertEquals(2, o.exitCode());
    assertTrue(o.stderr(), o.stderr().contains("error: Cannot pseudonymize columns [user_id, email, phone] of manifest manifests/demo.yaml: "
        + "no salt is configured. Fix: set REHEARSAL_PSEUDONYM_SALT or point REHEARSAL_PSEUDONYM_SALT_FILE at a file holding the secret salt"));
  }

  @Test
  public void snapshotOnAMissingLakeExitsTwoNamingEachInput() throws Exception {
    Path lake = temp.newFolder("lake").toPath();
    Outcome o = run(Map.of("REHEARSAL_PSEUDONYM_SALT", "s"), "snapshot", "manifests/demo.yaml", "--lake", lake.toString(),
        "--warehouse", temp.newFolder().toString());
    assertEquals(2, o.exitCode());
    assertTrue(o.stderr(), o.stderr().contains("error: Manifest manifests/demo.yaml is invalid (3 problems):\n"
        + "  - inputs.events.path: no Delta table at " + lake + "/events;"));
  }

  /**
   * The README's "your own data in four commands" on the shipped UCI Online Retail CSV, no file edited: init (a
   * mapping), import, init (a manifest and its salt), run. Beside them, manifests/online-retail-germany.yaml snapshots
   * the imported lake (its segments filter on the users' country, which the scaffolded mapping derives). The counts are
   * an independent reading of the CSV (InitJobTest says how).
   */
  @Test
  public void yourOwnDataInFourCommandsWithoutEditsEndsWithAVerdictAndAReport() throws Exception {
    Path mine = temp.newFolder("my-data").toPath();
    String mapping = mine.resolve("online-retail-mapping.yaml").toString();
    String lake = mine.resolve("lake").toString();
    String manifest = mine.resolve("online-retail.yaml").toString();
    Outcome scaffolded = run(Map.of(), "init", "datasets/online-retail-sample/online_retail_sample.csv", "--out", mapping);
    assertEquals(scaffolded.stdout() + scaffolded.stderr(), 0, scaffolded.exitCode());
    assertTrue(scaffolded.stdout(), scaffolded.stdout().contains("\n  events.user_id       { source: \"CustomerID\" }  "));
    Outcome imported = run(Map.of(), "import", "--mapping", mapping, "--out", lake);
    assertEquals(imported.stdout() + imported.stderr(), 0, imported.exitCode());
    assertTrue(imported.stdout(), imported.stdout().contains("\n  rows read:      20,000\n  rows kept:      14,921\n"));
    Outcome snap = run(Map.of("REHEARSAL_PSEUDONYM_SALT", "it-salt"), "snapshot", "manifests/online-retail-germany.yaml",
        "--lake", lake, "--warehouse", temp.newFolder().toString());
    assertEquals(snap.stdout() + snap.stderr(), 0, snap.exitCode());
    assertTrue(snap.stdout(), snap.stdout().contains("\n  germany  [germany-"));
    assertTrue(snap.stdout(), snap.stdout().contains("\n  germany_top_spenders  [germany_top_spenders-"));
    Outcome planned = run(Map.of(), "init", lake, "--out", manifest);
    assertEquals(planned.stdout() + planned.stderr(), 0, planned.exitCode());
    String salt = mine.resolve("online-retail.salt").toString();
    assertTrue(planned.stdout(), planned.stdout().contains("\nNext: bin/rehearsal run " + manifest + " --salt-file " + salt));
    // A minute or more in one JVM: the C2 compiler pays off (the small profile alone, as the e2e lane's cluster run).
    Outcome run = run(Map.of("REHEARSAL_PROFILES", "small"), "run", manifest, "--salt-file", salt);
    assertTrue(run.stdout() + run.stderr(), run.exitCode() == RehearsalCli.EXIT_OK || run.exitCode() == RehearsalCli.EXIT_CHECK_FAILED);
    assertTrue(run.stdout(), Pattern.compile("\nVerdict of run \\S+: (PASS|FAIL|INCONCLUSIVE)").matcher(run.stdout()).find());
    // Its items have no launch time (the CSV has none): they count as available, so coverage is measured, not 0 of 0.
    assertTrue(run.stdout(), Pattern.compile("\n  PASS guardrail coverage@10 in segment 'active_customers': candidate "
        + "0\\.\\d+, baseline 0\\.\\d+").matcher(run.stdout()).find());
    Matcher report = Pattern.compile("\nReport: (\\S+/report\\.html)\n").matcher(run.stdout());
    assertTrue(run.stdout(), report.find());
    assertTrue(report.group(1), Files.isRegularFile(Path.of(report.group(1))));
  }

  private static List<String> hashes(String stdout) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("\n  (\\S+)  \\[(\\S+)]\n(?:.*\n)*?    content hash \\(events\\) ([0-9a-f]{16})").matcher(stdout);
    while (m.find()) {
      out.add(m.group(1) + " " + m.group(2) + " " + m.group(3));
    }
    return out;
  }
}
