package io.rehearsal.pipelines.jobs;

import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.RehearsalException;

/**
 * What every step of a run over one manifest is given — a {@link Job}'s session, table store, run id and progress,
 * and the manifest — and the check that they were given. Snapshot, backfill, parity, evaluate, simulate and drift
 * extend it with their own settings.
 *
 * @param <J> the job itself, so that the setters chain
 */
public abstract class StepJob<J extends StepJob<J>> extends Job<J> {

  protected Manifest manifest;

  public J manifest(Manifest manifest) {
    this.manifest = manifest;
    return self();
  }

  /** Fails with {@code problem} unless the session, the table store, the manifest and a non-empty run id were given. */
  protected void checkGiven(String problem) {
    RehearsalException.check(spark != null, problem, "no SparkSession was given");
    RehearsalException.check(store != null, problem, "no table store was given");
    RehearsalException.check(manifest != null, problem, "no manifest was given");
    RehearsalException.check(runId != null && !runId.isBlank(), problem,
        "run id must be non-empty, got '" + runId + "'");
  }
}
