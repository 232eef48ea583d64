package io.rehearsal.pipelines.jobs;

import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.RehearsalException;
import org.apache.spark.sql.SparkSession;

/**
 * What every step of a run over one manifest is given — session, table store, manifest, run id, progress — with
 * its fluent setters, and the check that they were given. Snapshot, backfill, parity, evaluate, simulate and drift
 * extend it with their own settings.
 *
 * @param <J> the job itself, so that the setters chain
 */
public abstract class StepJob<J extends StepJob<J>> {

  protected SparkSession spark;
  protected TableStore store;
  protected Manifest manifest;
  protected String runId;
  protected Progress progress = Progress.silent();

  public J spark(SparkSession spark) {
    this.spark = spark;
    return self();
  }

  public J store(TableStore store) {
    this.store = store;
    return self();
  }

  public J manifest(Manifest manifest) {
    this.manifest = manifest;
    return self();
  }

  public J runId(String runId) {
    this.runId = runId;
    return self();
  }

  public J progress(Progress progress) {
    this.progress = progress;
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

  @SuppressWarnings("unchecked")
  private J self() {
    return (J) this;
  }
}
