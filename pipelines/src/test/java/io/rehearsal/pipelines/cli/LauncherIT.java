package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Assert;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.rehearsal.pipelines.testing.HeadlessChromium;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** End to end through bin/rehearsal and a real spark-submit, against the packaged application jar. */
public class LauncherIT {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final Path ROOT = Launcher.ROOT;

  private Outcome run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    return Launcher.run(temp, env, args);
  }

  @Test
  public void helpListsEverySubcommand() throws Exception {
    Outcome o = run(Map.of(), "--help");
    assertEquals(o.stderr(), 0, o.exitCode());
    for (String sub : List.of("demo", "run", "show", "verify-ledger", "reproduce", "generate", "import", "validate",
        "snapshot", "backfill", "parity", "drift", "simulate", "evaluate")) {
      assertTrue(sub + " missing from:\n" + o.stdout(), o.stdout().contains("  " + sub + " "));
    }
    Assert.assertFalse("hidden benchmark command listed:\n" + o.stdout(), o.stdout().contains("bench-backfill"));
    assertTrue(o.stdout(), o.stdout().contains("Exit codes: 0 success, 1 runtime failure, 2 invalid input or usage, 3 a check\nfailed"));
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

  @Test
  public void theTrimmedRunFailsWithExitThreeAndTheSameRunOnALocalClusterGivesTheSameHashes() throws Exception {
    // manifests/e2e.yaml (every step and sampling policy of the demo, trimmed) on the shared scale-1 demo lake.
    // The run is kept in pipelines/target/e2e-run for the tests bin/test runs after Maven (the Airflow PR DAG end to
    // end compares its step-by-step run with this one-shot run).
    Path shared = ROOT.resolve("pipelines/target/e2e-run");
    deleteRecursively(shared);
    Files.createDirectories(shared);
    String lake = Launcher.scaleOneLake(temp).toString();
    String warehouse = shared.resolve("warehouse").toString();
    Outcome run = run(Map.of(), "run", "manifests/e2e.yaml", "--lake", lake, "--warehouse", warehouse,
        "--salt-file", "conf/demo-salt.txt", "--run-id", "e2e-local", "--master", "local[2]");
    String out = run.stdout();
    // `run` exits 3 on a FAIL verdict (the demo subcommand turns its intended FAIL into 0; DemoVerdictIT checks that).
    assertEquals(out + run.stderr(), RehearsalCli.EXIT_CHECK_FAILED, run.exitCode());
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
    assertTrue(out, out.contains("\nDrift of run e2e-local"));
    assertTrue(out, out.contains("\nSimulation: PASS — every model gave valid lists"));
    assertTrue(out, out.contains("\nVerdict: FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n"));
    // The run ends with its own verdict, the gate table, the record and report, and one line of JSON.
    String[] lines = out.strip().split("\n");
    Matcher json = Pattern.compile("^\\{\"record\":\"(\\S+/runs/e2e-local/record\\.json)\",\"report\":\"(\\S+/report\\.html)\","
        + "\"run_id\":\"e2e-local\",\"status\":\"completed\",\"verdict\":\"FAIL\"}$").matcher(lines[lines.length - 1]);
    assertTrue(out, json.find());
    assertTrue(out, out.contains("\nVerdict of run e2e-local: FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n  segment "));
    assertTrue(out, out.contains("\nReport: " + warehouse + "/runs/e2e-local/report.html\n"));

    // The record: shown, intact, reproducible; the report as a browser shows it.
    Outcome show = run(Map.of(), "show", "e2e-local", "--warehouse", warehouse);
    assertEquals(show.stdout() + show.stderr(), 0, show.exitCode());
    assertTrue(show.stdout(), show.stdout().contains("\n  status    completed, verdict FAIL\n"));
    assertTrue(show.stdout(), show.stdout().contains("\n  input     events   " + lake + "/events v0\n"));
    // --json: the whole output is one JSON document (no result line appended after it).
    Outcome shownJson = run(Map.of(), "show", "e2e-local", "--warehouse", warehouse, "--json");
    assertEquals(shownJson.stdout() + shownJson.stderr(), 0, shownJson.exitCode());
    JsonNode shownRecord = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .readTree(shownJson.stdout());
    assertEquals("e2e-local", shownRecord.path("run_id").asText());
    Outcome verify = run(Map.of(), "verify-ledger", "--warehouse", warehouse);
    assertEquals(verify.stdout() + verify.stderr(), 0, verify.exitCode());
    assertTrue(verify.stdout(), verify.stdout().contains("is intact: 2 entries of 1 run(s), hash chain unbroken, 1 record "
        + "file(s) match"));
    Outcome reproduce = run(Map.of(), "reproduce", "e2e-local", "--warehouse", warehouse, "--salt-file", "conf/demo-salt.txt");
    assertEquals(reproduce.stdout() + reproduce.stderr(), 0, reproduce.exitCode());
    assertTrue(reproduce.stdout(), reproduce.stdout().contains("Reproduction of run e2e-local: every content hash matches"));
    assertTrue(reproduce.stdout(), Pattern.compile("\n  MATCH +features/loyalty_members-\\S+/user_daily ").matcher(
        reproduce.stdout()).find());
    String dom = HeadlessChromium.dumpDom(Path.of(json.group(2)), temp.newFolder().toPath());
    assertTrue(dom, dom.contains("Verdict: FAIL"));
    assertTrue(dom, dom.contains("<svg id=\"forest\""));

    Files.writeString(shared.resolve("run-id"), "e2e-local\n");
    Files.writeString(shared.resolve("lake"), lake + "\n");

    // The same manifest on a real multi-JVM cluster (a master, two workers, two executor JVMs of one core and
    // 2 GB each) through spark-submit: every output table has the same content hash as in local mode, so no
    // result depends on driver-side state or on how tasks are spread over JVMs.
    Outcome cluster = run(Map.of(), "run", "manifests/e2e.yaml", "--lake", lake, "--warehouse", warehouse,
        "--salt-file", "conf/demo-salt.txt", "--run-id", "on-local-cluster", "--master", "local-cluster[2,1,2048]");
    assertEquals(cluster.stdout() + cluster.stderr(), RehearsalCli.EXIT_CHECK_FAILED, cluster.exitCode());
    assertTrue(cluster.stdout(), cluster.stdout().contains("\nVerdict of run on-local-cluster: FAIL — loyalty_members "
        + "INCONCLUSIVE, first_time_buyers FAIL\n"));
    Map<String, String> local = outputHashes(Path.of(json.group(1)));
    Map<String, String> onCluster = outputHashes(Path.of(warehouse, "runs", "on-local-cluster", "record.json"));
    assertTrue(local.toString(), local.size() >= 20);
    assertEquals(local, onCluster);
  }

  /** Table (relative to its run) → content hash, from a record's result entry. */
  private static Map<String, String> outputHashes(Path record) throws IOException {
    JsonNode entries = new ObjectMapper().readTree(record.toFile()).path("entries");
    Map<String, String> out = new TreeMap<>();
    for (JsonNode entry : entries) {
      if ("result".equals(entry.path("kind").asText())) {
        entry.path("body").path("outputs").forEach(t -> out.put(t.path("table").asText(), t.path("content_hash").asText()));
      }
    }
    return out;
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

  @Test
  public void realOnlineRetailDataImportsAndSnapshots() throws Exception {
    String lake = temp.newFolder("uci").toString();
    Outcome imported = run(Map.of(), "import", "--mapping", "conf/mappings/online-retail.yaml", "--out", lake);
    assertEquals(imported.stdout() + imported.stderr(), 0, imported.exitCode());
    assertTrue(imported.stdout(), imported.stdout().contains("20,000"));
    Outcome snap = run(Map.of("REHEARSAL_PSEUDONYM_SALT", "it-salt"), "snapshot", "manifests/online-retail-germany.yaml",
        "--lake", lake, "--warehouse", temp.newFolder().toString());
    assertEquals(snap.stdout() + snap.stderr(), 0, snap.exitCode());
    assertTrue(snap.stdout(), snap.stdout().contains("\n  germany  [germany-"));
    assertTrue(snap.stdout(), snap.stdout().contains("\n  germany_top_spenders  [germany_top_spenders-"));
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
