package io.rehearsal.pipelines.run;

import static org.junit.Assert.assertThrows;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.transforms.RehearsalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;

/**
 * Step locks of a run: held by a live process they refuse a second one; left by a process that is gone they are
 * taken over. Liveness is judged from the lock's content (host, pid, process start) and age, so the tests write locks as another
 * process would have left them.
 */
public class RunLockTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private RunFiles files;
  private RunWorkspace workspace;

  @Before
  public void workspace() throws Exception {
    files = new RunFiles(spark());
    workspace = new RunWorkspace(files, temp.newFolder("wh").toString(), "locked");
  }

  private static String lockOf(String host, long pid, String processStart) {
    return "{\"host\":\"" + host + "\",\"pid\":" + pid + ",\"process_start\":\"" + processStart + "\",\"run_id\":\"locked\","
        + "\"started_at\":\"2026-12-07T09:00:00Z\",\"step\":\"snapshot\",\"token\":\"theirs\"}";
  }

  private static String thisProcessStart() {
    return ProcessHandle.current().info().startInstant().orElseThrow().toString();
  }

  private RunLock onThisHost() {
    return new RunLock(files, workspace, "this-host", ProcessHandle.current().pid(), thisProcessStart());
  }

  /** A pid no process has: that of a process that ran and exited. */
  private static long exitedPid() throws Exception {
    Process p = new ProcessBuilder("true").start();
    p.waitFor();
    long pid = p.pid();
    Assert.assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    return pid;
  }

  @Test
  public void aLiveHolderRefusesASecondProcessUntilItReleases() {
    RunLock mine = new RunLock(files, workspace);
    // The other process: this host, a live pid (this JVM's), its own RunLock.
    RunLock other = new RunLock(files, workspace);
    String file = mine.file(RunStep.SNAPSHOT);
    try (RunLock.Held held = mine.acquire(RunStep.SNAPSHOT)) {
      Assert.assertTrue(Files.exists(Path.of(file)));
      RehearsalException refused = assertThrows(RehearsalException.class, () -> other.acquire(RunStep.SNAPSHOT));
      Assert.assertEquals(RehearsalException.Kind.RUNTIME, refused.kind());
      Assert.assertTrue(refused.getMessage(), refused.getMessage().startsWith("Cannot run step 'snapshot' of run locked: process "
          + ProcessHandle.current().pid() + " on "));
      Assert.assertTrue(refused.getMessage(), refused.getMessage().contains(" is running it (lock " + file + ", refreshed every 20 s)"));
      assertThrows(RehearsalException.class, other::refuseIfHeld);
      // Another step of the same run (an Airflow DAG's parallel task) is not held.
      other.acquire(RunStep.EVALUATE).close();
    }
    Assert.assertFalse("released locks are removed", Files.exists(Path.of(file)));
    other.acquire(RunStep.SNAPSHOT).close();
    other.refuseIfHeld();
  }

  /**
   * The heartbeat moves the lock's modification time on the local file system, so a step outlives its refreshes. Once
   * it did not: RunFiles asked Hadoop's raw local file system for its scheme, which it does not implement, and the
   * demo run failed in a step longer than three refreshes (60 s) with "its lock could not be refreshed 3 times".
   */
  @Test
  public void theHeartbeatRefreshesTheLockOnTheLocalFileSystem() throws Exception {
    RunLock lock = onThisHost();
    Path file = Path.of(lock.file(RunStep.PARITY));
    try (RunLock.Held held = lock.acquire(RunStep.PARITY)) {
      Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));
      for (int i = 0; i < 3; i++) {
        held.refreshNow();
      }
      Instant refreshed = Files.getLastModifiedTime(file).toInstant();
      Assert.assertTrue(refreshed.toString(), refreshed.isAfter(Instant.now().minusSeconds(60)));
      held.checkStillHeld();
    }
    Assert.assertFalse("released", Files.exists(file));
  }

  @Test
  public void aLockLeftByAKilledProcessOfThisHostIsTakenOverAtOnce() throws Exception {
    RunLock lock = onThisHost();
    String file = lock.file(RunStep.SNAPSHOT);
    // Its process exited; or its pid is a live process's (this JVM's) that started at another time: reused.
    for (String left : List.of(lockOf("this-host", exitedPid(), "2026-12-07T08:59:00Z"),
        lockOf("this-host", ProcessHandle.current().pid(), "2000-01-01T00:00:00Z"))) {
      files.createExclusive(file, left);
      lock.refuseIfHeld();
      try (RunLock.Held held = lock.acquire(RunStep.SNAPSHOT)) {
        Assert.assertTrue(Files.readString(Path.of(file)), Files.readString(Path.of(file)).contains("\"process_start\" : \""
            + thisProcessStart() + "\""));
      }
      Assert.assertEquals(List.of(), files.list(workspace.stateFolder()));
    }
  }

  @Test
  public void aLockWithoutContentIsHeldWhileBeingCreatedThenTakenOver() {
    RunLock lock = onThisHost();
    String file = lock.file(RunStep.PARITY);
    files.createExclusive(file, "");
    RehearsalException refused = assertThrows(RehearsalException.class, () -> lock.acquire(RunStep.PARITY));
    Assert.assertTrue(refused.getMessage(), refused.getMessage().contains(": another process is running it"));
    Assert.assertTrue(lock.refused(refused));
    files.setModifiedAt(file, Instant.now().minusSeconds(11).toEpochMilli());
    lock.acquire(RunStep.PARITY).close();
  }

  @Test
  public void aHolderWhoseLockWasTakenOverNeitherSavesNorRemovesTheNewHoldersLock() throws Exception {
    RunLock lock = onThisHost();
    String file = lock.file(RunStep.DRIFT);
    RunLock.Held held = lock.acquire(RunStep.DRIFT);
    held.checkStillHeld();
    // Another host took it over (this holder stalled past the lease).
    String theirs = lockOf("other-host", 7, "2026-12-07T08:00:00Z");
    Files.writeString(Path.of(file), theirs);
    RehearsalException lost = assertThrows(RehearsalException.class, held::checkStillHeld);
    Assert.assertEquals("Cannot finish step 'drift' of run locked: its lock " + file + " is no longer this process's. "
        + "Fix: check for another process running the same run id; rerun with the same --run-id once it is done",
        lost.getMessage());
    held.close();
    Assert.assertEquals(theirs, Files.readString(Path.of(file)));
  }

  @Test
  public void anotherHostsLockHoldsForItsLeaseThenIsTakenOver() throws Exception {
    RunLock lock = onThisHost();
    String file = lock.file(RunStep.BACKFILL);
    // Its pid may be anything: on another host it says nothing about this one's processes.
    files.createExclusive(file, lockOf("other-host", exitedPid(), "2026-12-07T08:59:00Z"));
    RehearsalException refused = assertThrows(RehearsalException.class, () -> lock.acquire(RunStep.BACKFILL));
    Assert.assertTrue(refused.getMessage(), refused.getMessage().contains(" on other-host, started 2026-12-07T09:00:00Z is running it"));
    // Not refreshed for a second more than the lease: abandoned.
    files.setModifiedAt(file, Instant.now().minus(RunLock.LEASE).minusSeconds(1).toEpochMilli());
    lock.refuseIfHeld();
    lock.acquire(RunStep.BACKFILL).close();
  }

  /**
   * A warehouse that cannot be written (here under a regular file: the tests run as root, whom file modes do not
   * stop) is refused at the run's first write, its state folder, before any Spark work: the cause as the file
   * system gave it and what to check.
   */
  @Test
  public void anUnwritableWarehouseIsRefusedAtTheFirstWriteBeforeAnyStep() throws Exception {
    Path file = temp.newFile("not-a-folder").toPath();
    Path manifest = temp.newFile("w.yaml").toPath();
    Files.writeString(manifest, "apiVersion: rehearsal/v1\nname: w\nlake: " + temp.newFolder("lake2") + "\nwarehouse: "
        + file.resolve("warehouse") + "\ninputs:\n  events: { path: events }\n  users: { path: users }\n"
        + "  items: { path: items }\nsegments:\n  - name: all\n    window: { start: 2025-01-01, end: 2025-02-01 }\n"
        + "    sampling: { policy: uniform, seed: 1, rate: 1.0 }\n");
    RehearsalException refused = assertThrows(RehearsalException.class, () -> new RunJob().spark(spark())
        .store(new DeltaTableStore(spark())).manifestFile(manifest).runId("w").snapshotSalt("s").execute());
    Assert.assertEquals(RehearsalException.Kind.RUNTIME, refused.kind());
    Assert.assertEquals("Cannot create folder " + file + "/warehouse/runs/w/_state: org.apache.hadoop.fs."
        + "ParentNotDirectoryException: Parent path is not a directory: " + file + ". Fix: check that the warehouse is "
        + "reachable and writable (permissions, credentials, free space)", refused.getMessage());
    Assert.assertEquals(0, Files.size(file));
  }

  /** A run id names the run's folder under the warehouse: one that would leave it (or hold a separator) is refused. */
  @Test
  public void aRunIdThatWouldWriteOutsideTheWarehouseIsRefused() {
    for (String id : List.of("../escape", "a/b", ".hidden", "", "x".repeat(129))) {
      RehearsalException refused = assertThrows(RehearsalException.class, () -> new RunWorkspace(files, "/wh", id));
      Assert.assertEquals("Cannot use run id '" + id + "': a run id names a folder: 1 to 128 letters, digits, '.', '_' or "
          + "'-', starting with a letter or digit. Fix: pass e.g. --run-id pr-1234-attempt-1", refused.getMessage());
    }
  }

  @Test
  public void aRunRefusedByAHeldStepWritesNothing() throws Exception {
    // A process of this host holds the validate step of run 'locked': the run refuses before any step and records
    // no failure (the run is the other process's).
    try (RunLock.Held other = new RunLock(files, workspace).acquire(RunStep.VALIDATE)) {
      Path manifest = temp.newFile("m.yaml").toPath();
      Files.writeString(manifest, "apiVersion: rehearsal/v1\nname: m\nlake: " + temp.newFolder("lake") + "\nwarehouse: "
          + workspace.warehouse() + "\ninputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
              + "segments:\n  - name: all\n"
          + "    window: { start: 2025-01-01, end: 2025-02-01 }\n    sampling: { policy: uniform, seed: 1, rate: 1.0 }\n");
      RehearsalException refused = assertThrows(RehearsalException.class, () -> new RunJob().spark(spark())
          .store(new DeltaTableStore(spark())).manifestFile(manifest).runId("locked").snapshotSalt("s").execute());
      Assert.assertTrue(refused.getMessage(), refused.getMessage().startsWith("Cannot run step 'validate' of run locked: process "));
      Assert.assertFalse(files.exists(workspace.warehouse() + "/ledger"));
      Assert.assertEquals(List.of("validate.lock"), files.list(workspace.stateFolder()));
      Assert.assertFalse(files.exists(workspace.recordFile()));
    }
  }
}
