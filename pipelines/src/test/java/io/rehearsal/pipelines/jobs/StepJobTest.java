package io.rehearsal.pipelines.jobs;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertSame;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.transforms.RehearsalException;
import java.nio.file.Path;
import org.junit.Test;
import org.junit.function.ThrowingRunnable;

/** The context every step job is given, and the check that names the first missing piece with the job's words. */
public class StepJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** A step that only checks its context. */
  private static final class Probe extends StepJob<Probe> {
    Probe run() {
      checkGiven("Cannot probe");
      return this;
    }
  }

  @Test
  public void theFirstMissingPieceIsNamedInTheJobsWords() throws Exception {
    Manifest manifest = new ManifestLoader().load(
        Path.of(System.getProperty("rehearsal.repo.root", ".."), "manifests", "e2e.yaml"));
    DeltaTableStore store = new DeltaTableStore(spark());
    assertMessage("Cannot probe: no SparkSession was given", () -> new Probe().run());
    assertMessage("Cannot probe: no table store was given", () -> new Probe().spark(spark()).run());
    assertMessage("Cannot probe: no manifest was given", () -> new Probe().spark(spark()).store(store).run());
    assertMessage("Cannot probe: run id must be non-empty, got 'null'",
        () -> new Probe().spark(spark()).store(store).manifest(manifest).run());
    assertMessage("Cannot probe: run id must be non-empty, got ' '",
        () -> new Probe().spark(spark()).store(store).manifest(manifest).runId(" ").run());
    Probe complete = new Probe().spark(spark()).store(store).manifest(manifest).runId("r").progress(Progress.silent());
    assertSame(complete, complete.run());
    // A real step says which step could not start.
    assertMessage("Cannot run snapshot: no SparkSession was given", () -> new SnapshotJob().execute());
  }

  private static void assertMessage(String expected, ThrowingRunnable action) {
    assertEquals(expected, assertThrows(RehearsalException.class, action).getMessage());
  }
}
