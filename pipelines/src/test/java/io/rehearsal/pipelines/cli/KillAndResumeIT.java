package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A real run killed (SIGKILL to bin/rehearsal, spark-submit and the driver JVM) in the middle of every step that
 * writes tables, resumed each time with the same run id, ends with the content hashes of an uninterrupted run of
 * the same manifest on the same lake — while a run of another manifest writes to the same warehouse and ledger,
 * and a second process given the same run id refuses instead of writing twice.
 *
 * <p>The uninterrupted run is the e2e lane's cluster run of manifests/e2e.yaml (bin/test; LauncherIT checks it);
 * without the lane this test makes one itself, in local mode.
 */
public class KillAndResumeIT {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  /** Every process started here: killed after the test, so a failed assertion leaves none running. */
  private final List<Launcher.Running> started = new java.util.ArrayList<>();

  @org.junit.After
  public void killLeftovers() throws InterruptedException {
    for (Launcher.Running r : started) {
      if (r.process().isAlive()) {
        r.kill();
      }
    }
  }

  private static final String RUN = "killed";
  /** The steps that write tables, in the order a run reaches them. */
  private static final List<String> WRITING_STEPS = List.of("snapshot", "backfill", "parity", "evaluate", "simulate", "drift");
  private static final String SALT = "conf/demo-salt.txt";

  @Test
  public void aRunKilledInEveryWritingStepResumesToTheHashesOfAnUninterruptedRunBesideAnotherManifestsRun()
      throws Exception {
    String lake = Launcher.scaleOneLake(temp).toString();
    Path warehouse = temp.newFolder("warehouse").toPath();
    Path root = warehouse.resolve("runs/" + RUN);
    Path state = root.resolve("_state");

    // Another manifest's run on the same warehouse and ledger, started with the first attempt.
    Path other = temp.newFile("beside.yaml").toPath();
    Files.writeString(other, "apiVersion: rehearsal/v1\nname: beside\nlake: demo-data/lake\nwarehouse: demo-data/warehouse\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n  - name: gold\n    filter: \"loyalty_tier = 'gold'\"\n    window: { start: 2025-05-01, end: 2025-07-01 }\n"
        + "    sampling: { policy: uniform, seed: 5, rate: 0.5 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n");
    Launcher.Running beside = start("run", other.toString(), "--lake", lake, "--warehouse", warehouse.toString(),
        "--salt-file", SALT, "--run-id", "beside");

    for (int i = 0; i < WRITING_STEPS.size(); i++) {
      String step = WRITING_STEPS.get(i);
      Launcher.Running attempt = startKilledRun(lake, warehouse);
      attempt.awaitOutput("] run " + RUN + ": " + step + "\n", 10);
      if (i == 0) {
        assertTrue("the other manifest's run is still going: both write to the warehouse and its ledger side by side",
            beside.process().isAlive());
        aSecondProcessWithTheSameRunIdRefuses(attempt, lake, warehouse, state);
      }
      Set<Path> before = dataFiles(root);
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
      while (dataFiles(root).equals(before)) {
        assertTrue("step " + step + " wrote no data file in 5 minutes:\n" + attempt.stdout(), System.nanoTime() < deadline);
        assertTrue("the run ended before it wrote in step " + step + ":\n" + attempt.stdout(), attempt.process().isAlive());
        Thread.sleep(20);
      }
      attempt.kill();
      // Killed while the step's first data file was being written: the step is not finished, the ones before are.
      assertFalse(step + " must not look finished:\n" + attempt.stdout(), Files.exists(state.resolve(step + ".json")));
      for (String done : WRITING_STEPS.subList(0, i)) {
        assertTrue(done + " finished earlier", Files.exists(state.resolve(done + ".json")));
      }
      assertTrue("the killed process's lock stays behind", Files.exists(state.resolve(step + ".lock")));
      assertFalse("a killed run has no record yet", Files.exists(root.resolve("record.json")));
      if (i == 0) {
        // What a user sees of the killed run: its plan, no result.
        Outcome shown = Launcher.run(temp, Map.of(), "show", RUN, "--warehouse", warehouse.toString());
        assertEquals(shown.stdout() + shown.stderr(), 0, shown.exitCode());
        assertTrue(shown.stdout(), Pattern.compile("(?m)^entry \\d+ — plan, recorded ").matcher(shown.stdout()).find());
        assertFalse(shown.stdout(), shown.stdout().contains(" — result, "));
      }
    }

    Outcome last = startKilledRun(lake, warehouse).await(15);
    assertEquals(last.stdout() + last.stderr(), RehearsalCli.EXIT_CHECK_FAILED, last.exitCode());
    assertTrue(last.stdout(), last.stdout().contains("] run " + RUN + ": resuming after simulate (finished: validate, plan, "
        + "snapshot, backfill, parity, evaluate, simulate)\n"));
    // The lock of the drift attempt's killed process was taken over at once (same host, its process gone).
    assertTrue(last.stdout(), last.stdout().contains("\nVerdict of run " + RUN + ": FAIL — loyalty_members INCONCLUSIVE, "
        + "first_time_buyers FAIL\n"));
    // Read only now: in bin/test this test starts before the e2e lane's cluster run has ended.
    assertEquals(referenceHashes(lake), Launcher.outputHashes(root.resolve("record.json")));
    try (Stream<Path> locks = Files.list(state)) {
      assertEquals("every lock released", List.of(), locks.filter(p -> p.toString().endsWith(".lock")).toList());
    }

    Outcome besideRun = beside.await(15);
    assertEquals(besideRun.stdout() + besideRun.stderr(), 0, besideRun.exitCode());
    assertTrue(besideRun.stdout(), besideRun.stdout().strip().endsWith("\"run_id\":\"beside\",\"status\":\"completed\",\"verdict\":\"PASS\"}"));
    // One plan and one result per run, in one unbroken chain; no attempt of the killed run added an entry.
    Outcome verify = Launcher.run(temp, Map.of(), "verify-ledger", "--warehouse", warehouse.toString());
    assertEquals(verify.stdout() + verify.stderr(), 0, verify.exitCode());
    assertTrue(verify.stdout(), verify.stdout().contains("is intact: 4 entries of 2 run(s), hash chain unbroken, 2 record "
        + "file(s) match"));
  }

  /**
   * While the first attempt holds the snapshot step (paused with SIGSTOP, so it cannot finish the step meanwhile), a
   * second process given the same run id refuses with exit 1, naming the holder, and writes nothing.
   */
  private void aSecondProcessWithTheSameRunIdRefuses(Launcher.Running holder, String lake, Path warehouse, Path state)
      throws Exception {
    Path lock = state.resolve("snapshot.lock");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!Files.exists(lock) || Files.readString(lock).isBlank()) {
      assertTrue("no snapshot lock", System.nanoTime() < deadline);
      Thread.sleep(20);
    }
    JsonNode holding = new ObjectMapper().readTree(Files.readString(lock));
    holder.signal("STOP");
    Outcome second;
    try {
      second = startKilledRun(lake, warehouse).await(5);
    } finally {
      holder.signal("CONT");
    }
    assertEquals(second.stdout() + second.stderr(), 1, second.exitCode());
    assertTrue(second.stderr(), second.stderr().contains("error: Cannot run step 'snapshot' of run " + RUN + ": process "
        + holding.path("pid").asLong() + " on " + holding.path("host").asText() + ", started "
        + holding.path("started_at").asText() + " is running it (lock " + lock + ", refreshed every 20 s). Fix: wait for "
        + "that process to finish"));
    // No record: the run is the holder's, not this process's to record as failed.
    assertTrue(second.stdout(), second.stdout().strip().endsWith("{\"record\":null,\"report\":null,\"run_id\":\"" + RUN
        + "\",\"status\":\"failed\",\"verdict\":\"ERROR\"}"));
    try (Stream<Path> files = Files.list(state)) {
      assertEquals(List.of("plan.json", "snapshot.lock", "validate.json"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  private Launcher.Running startKilledRun(String lake, Path warehouse) throws IOException {
    return start("run", "manifests/e2e.yaml", "--lake", lake, "--warehouse", warehouse.toString(), "--salt-file", SALT,
        "--run-id", RUN);
  }

  private Launcher.Running start(String... args) throws IOException {
    Launcher.Running running = Launcher.start(temp, Map.of(), args);
    started.add(running);
    return running;
  }

  /** The Parquet data files of the run's tables (its scratch space and Delta's own checkpoints aside). */
  private static Set<Path> dataFiles(Path root) throws IOException {
    if (!Files.exists(root)) {
      return Set.of();
    }
    try (Stream<Path> paths = Files.walk(root)) {
      return paths.filter(p -> p.toString().endsWith(".parquet") && !p.toString().contains("/_scratch/")
              && !p.toString().contains("/_delta_log/"))
          .collect(Collectors.toSet());
    } catch (java.io.UncheckedIOException racedWithTheWriter) {
      // A file listed and renamed or removed before it was visited: look again.
      return dataFiles(root);
    }
  }

  /** The uninterrupted run's hashes: the e2e lane's cluster run when bin/test made one, else a local run made here. */
  private Map<String, String> referenceHashes(String lake) throws Exception {
    String lane = System.getenv("REHEARSAL_E2E_RUN");
    Path record;
    if (lane != null && !lane.isBlank()) {
      Launcher.awaitLane(Path.of(lane), 45);
      record = Path.of(lane, "warehouse/runs/e2e-cluster/record.json");
    } else {
      Path warehouse = temp.newFolder("uninterrupted").toPath();
      Outcome run = Launcher.run(temp, Map.of(), "run", "manifests/e2e.yaml", "--lake", lake, "--warehouse",
          warehouse.toString(), "--salt-file", SALT, "--run-id", "uninterrupted");
      assertEquals(run.stdout() + run.stderr(), RehearsalCli.EXIT_CHECK_FAILED, run.exitCode());
      record = warehouse.resolve("runs/uninterrupted/record.json");
    }
    Map<String, String> hashes = Launcher.outputHashes(record);
    assertTrue(hashes.toString(), hashes.size() >= 20);
    return hashes;
  }
}
