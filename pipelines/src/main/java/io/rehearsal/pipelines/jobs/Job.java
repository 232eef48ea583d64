package io.rehearsal.pipelines.jobs;

import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import org.apache.spark.sql.SparkSession;

/**
 * What every job is given — session, table store, run id, progress — with its fluent setters: the one construction
 * style of every job ({@code new XJob().spark(s).store(t).runId(id)…execute()}). {@link StepJob} adds the manifest
 * for the steps of a run; each job adds its own settings and checks them all before it runs.
 *
 * @param <J> the job itself, so that the setters chain
 */
public abstract class Job<J extends Job<J>> {

  protected SparkSession spark;
  protected TableStore store;
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

  /** Names the run: every Delta commit the job writes carries it as its userMetadata. */
  public J runId(String runId) {
    this.runId = runId;
    return self();
  }

  public J progress(Progress progress) {
    this.progress = progress;
    return self();
  }

  /** Fails with {@code problem} unless a non-blank run id and a progress were given (checked in this order). */
  protected void checkRunIdAndProgress(String problem) {
    RehearsalException.check(runId != null, problem, "no run id was given");
    RehearsalException.check(!runId.isBlank(), problem, "the run id is blank: '" + runId + "'");
    RehearsalException.check(progress != null, problem, "progress is null (use Progress.silent())");
  }

  @SuppressWarnings("unchecked")
  protected final J self() {
    return (J) this;
  }
}
