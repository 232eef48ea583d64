package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.Manifest;
import org.apache.spark.sql.SparkSession;

/**
 * How every single-step command (snapshot, backfill, parity, evaluate, simulate, drift) starts: a session named
 * after the step, the table store, a run id, and the progress line naming the manifest and its hash; then its job
 * is created through {@link #job}, given all of them.
 */
record StepStart(SparkSession spark, TableStore store, Manifest manifest, String runId, Progress progress) {

  static StepStart of(String step, Manifest manifest, SparkOptions sparkOptions) {
    SparkSession spark = sparkOptions.session("rehearsal-" + step);
    String runId = sparkOptions.runId(step);
    Progress progress = Progress.to(System.out);
    progress.step("%s %s (%s), run %s", step, manifest.file(), manifest.sha256().substring(0, 12), runId);
    return new StepStart(spark, new DeltaTableStore(spark), manifest, runId, progress);
  }

  /** The step's job given this command's session, table store, manifest, run id and progress. */
  <J extends StepJob<J>> J job(J job) {
    return job.spark(spark).store(store).manifest(manifest).runId(runId).progress(progress);
  }
}
