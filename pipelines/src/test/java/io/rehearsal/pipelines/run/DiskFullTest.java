package io.rehearsal.pipelines.run;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.testing.DemoLakeFixture;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.lang3.exception.ExceptionUtils;
import org.junit.After;
import org.junit.Assert;
import org.junit.Assume;
import org.junit.Test;

/**
 * A warehouse that runs out of space mid-run: a real file system of 1.5 MB (tmpfs, mounted by the test; it needs the
 * privilege to mount, which bin/test's machine has, and is skipped, saying why, without it). The snapshot of the
 * scale-1 lake does not fit: the run fails with the file system's own "No space left on device", the snapshot step
 * is not finished and no snapshot table version exists; once the file system is made larger, the same run id
 * resumes and completes, and the ledger is intact.
 */
public class DiskFullTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private Path mounted;

  private static int sh(String... command) throws IOException, InterruptedException {
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start().waitFor();
  }

  @After
  public void unmount() throws Exception {
    if (mounted != null && sh("umount", mounted.toString()) != 0) {
      // Files still open on it: detach it now, freed when they close.
      Assert.assertEquals("umount -l " + mounted, 0, sh("umount", "-l", mounted.toString()));
    }
  }

  @Test
  public void aRunThatFillsTheDiskFailsWithTheCauseWritesNoSnapshotAndResumesOnceThereIsSpace() throws Exception {
    Path warehouse = temp.newFolder("small-disk").toPath();
    Assume.assumeTrue("cannot mount a tmpfs here (needs CAP_SYS_ADMIN): the disk-full test is skipped",
        sh("mount", "-t", "tmpfs", "-o", "size=1536k", "tmpfs", warehouse.toString()) == 0);
    mounted = warehouse;
    Path lake = DemoLakeFixture.seed42Scale1(spark());
    Path manifest = temp.newFile("full.yaml").toPath();
    Files.writeString(manifest, "apiVersion: rehearsal/v1\nname: full\nlake: " + lake + "\nwarehouse: " + warehouse
        + "\ninputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n  - name: everyone\n    window: { start: 2025-01-01, end: 2025-07-01 }\n"
        + "    sampling: { policy: uniform, seed: 1, rate: 1.0 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n", StandardCharsets.UTF_8);

    Exception failed = Assert.assertThrows(Exception.class, () -> run(manifest));
    Assert.assertTrue(ExceptionUtils.getStackTrace(failed), ExceptionUtils.getThrowableList(failed).stream()
        .anyMatch(t -> String.valueOf(t.getMessage()).contains("No space left on device")));
    Path state = warehouse.resolve("runs/full/_state");
    Assert.assertEquals(Set.of("validate.json", "plan.json"), names(state));
    Path events = warehouse.resolve("runs/full/snapshots/events");
    Assert.assertFalse("no snapshot version is visible", Files.exists(events.resolve("_delta_log"))
        && new DeltaTableStore(spark()).exists(events.toString()));

    Assert.assertEquals(0, sh("mount", "-o", "remount,size=256m", warehouse.toString()));
    RunResult resumed = run(manifest);
    Assert.assertEquals(RunJob.STATUS_COMPLETED, resumed.status());
    Assert.assertEquals(List.of(RunStep.VALIDATE, RunStep.PLAN), resumed.alreadyDone());
    LedgerVerifier.Verification v = new LedgerVerifier(spark(), warehouse.toString()).verify();
    Assert.assertEquals(List.of(), v.problems());
  }

  private RunResult run(Path manifest) {
    return new RunJob().spark(spark()).store(new DeltaTableStore(spark())).manifestFile(manifest).runId("full")
        .snapshotSalt("disk-salt").execute();
  }

  private static Set<String> names(Path folder) throws IOException {
    try (Stream<Path> files = Files.list(folder)) {
      return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    }
  }
}
