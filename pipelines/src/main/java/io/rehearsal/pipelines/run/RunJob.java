package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.jobs.Job;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.checks.CheckStatus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One testbed run of a manifest in its own workspace: validate → plan (pre-registered in the ledger) →
 * snapshot → backfill → parity → evaluate → simulate → drift → gate → record → report → teardown.
 * Every finished step is saved in the workspace, so a failed run resumes after its last finished step,
 * and one step can run alone (an Airflow task) once the steps it reads have finished.
 */
public final class RunJob extends Job<RunJob> {

  public static final String STATUS_COMPLETED = "completed";
  public static final String STATUS_FAILED = "failed";
  public static final String STATUS_PARTIAL = "partial";
  public static final String VERDICT_ERROR = "ERROR";

  private Path manifestFile;
  private String lakeOverride;
  private String warehouseOverride;
  private boolean fresh;
  private RunStep only;
  private String snapshotSalt;
  private String modelSalt;
  private PrintStream out = new PrintStream(OutputStream.nullOutputStream());
  /** Where a failed execute() recorded its failure; null until then, or when it could not record it. */
  private RunWorkspace failureRecorded;

  public RunJob manifestFile(Path manifestFile) {
    this.manifestFile = manifestFile;
    return this;
  }

  public RunJob lake(String lake) {
    this.lakeOverride = lake;
    return this;
  }

  public RunJob warehouse(String warehouse) {
    this.warehouseOverride = warehouse;
    return this;
  }

  /** Deletes the run's workspace first and starts over (the ledger keeps what earlier attempts recorded). */
  public RunJob fresh(boolean fresh) {
    this.fresh = fresh;
    return this;
  }

  /** Runs this step only (null: every step not yet finished). */
  public RunJob only(RunStep step) {
    this.only = step;
    return this;
  }

  /** The pseudonymization salt of the snapshots (required). */
  public RunJob snapshotSalt(String salt) {
    this.snapshotSalt = salt;
    return this;
  }

  /** The salt models that use production user ids need (may be null). */
  public RunJob modelSalt(String salt) {
    this.modelSalt = salt;
    return this;
  }

  /** Where the steps' own summaries are printed (default: nowhere). */
  public RunJob out(PrintStream out) {
    this.out = out;
    return this;
  }

  /** After {@link #execute()} threw: the workspace whose record.json and report.html hold the failure, if any. */
  public RunWorkspace failureRecorded() {
    return failureRecorded;
  }

  public RunResult execute() {
    requireSet(spark, "spark");
    requireSet(store, "store");
    requireSet(manifestFile, "manifestFile");
    requireSet(runId, "runId");
    Manifest manifest = new ManifestLoader().lakeOverride(lakeOverride).warehouseOverride(warehouseOverride)
        .load(manifestFile);
    RunFiles files = new RunFiles(spark);
    RunWorkspace workspace = new RunWorkspace(files, manifest.warehouse(), runId);
    Ledger ledger = new Ledger(spark, manifest.warehouse());
    Map<RunStep, StepOutcome> finished = new LinkedHashMap<>(fresh ? Map.of() : workspace.finished());
    StepOutcome plan = finished.get(RunStep.PLAN);
    if (plan != null) {
      String planned = plan.findings().path("plan").path("manifest").path("sha256").asText();
      if (!planned.equals(manifest.sha256())) {
        throw RehearsalException.invalidInput("Cannot continue run " + runId,
            "its plan registered manifest SHA-256 " + planned + " but " + manifest.file() + " now hashes to "
                + manifest.sha256(),
            "rerun with --fresh to start this run over with the new manifest, or give the run a new --run-id");
      }
    }
    List<RunStep> todo = stepsToRun(finished);
    if (todo.contains(RunStep.SNAPSHOT) && snapshotSalt == null) {
      // Refused before the plan entry and before --fresh removes anything: nothing is written for a run that
      // could not snapshot.
      throw RunSteps.noSalt(runId);
    }
    RunLock locks = new RunLock(files, workspace);
    if (fresh && workspace.exists()) {
      locks.refuseIfHeld();
      progress.step("--fresh: removing the workspace of run %s at %s", runId, workspace.root());
      workspace.delete();
    }
    if (!todo.isEmpty()) {
      // The run's first write: a warehouse that cannot be written (permissions, a read-only mount, credentials) is
      // named here, before any Spark work. A finished run is read only.
      files.mkdirs(workspace.stateFolder());
    }
    List<RunStep> alreadyDone = new ArrayList<>(finished.keySet());
    if (todo.isEmpty()) {
      progress.step("run %s: every step has already finished; nothing to do (--fresh starts it over)", runId);
    } else if (!finished.isEmpty() && only == null) {
      progress.step("run %s: resuming after %s (finished: %s)", runId, alreadyDone.get(alreadyDone.size() - 1).label(),
          String.join(", ", alreadyDone.stream().map(RunStep::label).toList()));
    }
    if (todo.stream().anyMatch(s -> s.compareTo(RunStep.SNAPSHOT) >= 0 && s.compareTo(RunStep.DRIFT) <= 0)) {
      // Spark ML (ALS) checkpoints its lineage here; teardown removes it with the rest of the scratch.
      spark.sparkContext().setCheckpointDir(workspace.scratch() + "/checkpoints");
    }
    RunContext context = new RunContext(runId, manifest, workspace, ledger, files, finished);
    RunSteps steps = new RunSteps(spark, store, runId, progress, out, snapshotSalt, modelSalt);
    List<StepOutcome> ran = new ArrayList<>();
    RunStep current = null;
    boolean recorded = false;
    try {
      for (RunStep step : todo) {
        current = step;
        RunLock.Held held = locks.acquire(step);
        try (held) {
          StepOutcome doneMeanwhile = workspace.outcome(step);
          if (doneMeanwhile != null) {
            // Another process of the same run id finished it after this one read the workspace.
            progress.step("run %s: step %s was finished meanwhile by another process (%s)", runId, step.label(),
                doneMeanwhile.status());
            finished.put(step, doneMeanwhile);
            continue;
          }
          long started = System.nanoTime();
          StepOutcome outcome = RehearsalSpark.inJobGroup(spark, "rehearsal-run-" + step.label(),
              "run " + runId + ": " + step.label(), () -> steps.run(step, context, started));
          held.checkStillHeld();
          workspace.save(outcome);
          finished.put(step, outcome);
          ran.add(outcome);
        } catch (Exception e) {
          // Recorded while the step is still held, so no other process starts it meanwhile.
          recordFailure(context, step, e);
          recorded = true;
          throw RunJob.<RuntimeException>sneaky(e);
        }
      }
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception thrown from Scala: catch everything, rethrow it as is.
      // A refusal because another live process holds the step is not this process's run failing: not recorded.
      if (!recorded && !locks.refused(e)) {
        recordFailure(context, current, e);
      }
      throw RunJob.<RuntimeException>sneaky(e);
    }
    return result(context, ran, alreadyDone);
  }

  private List<RunStep> stepsToRun(Map<RunStep, StepOutcome> finished) {
    if (only == null) {
      return Arrays.stream(RunStep.values()).filter(s -> !finished.containsKey(s)).toList();
    }
    if (finished.containsKey(only)) {
      // An Airflow retry of a task whose step had finished: nothing to redo, the same outcome (and exit code).
      progress.step("run %s: step %s has already finished (%s); --fresh starts the run over", runId, only.label(),
          finished.get(only).status());
      return List.of();
    }
    for (RunStep need : only.needs()) {
      if (!finished.containsKey(need)) {
        throw RehearsalException.invalidInput("Cannot run step '" + only.label() + "' of run " + runId,
            "it reads the outputs of step '" + need.label() + "', which has not finished in this run (finished: "
                + (finished.isEmpty() ? "none" : String.join(", ", finished.keySet().stream().map(RunStep::label).toList()))
                + ")",
            "run --step " + need.label() + " with the same --run-id first, or run without --step to do every step");
      }
    }
    return List.of(only);
  }

  /** A failed step still leaves a record: a result entry saying where and how it failed, the file and a report. */
  private void recordFailure(RunContext c, RunStep step, Exception failure) {
    try {
      ObjectNode body = c.resultBody(STATUS_FAILED, step, failure);
      c.ledger.append(runId, LedgerEntry.RESULT, body);
      c.writeRecordFile();
      c.writeReport(c.findings(RunStep.PLAN).path("plan"), body);
      failureRecorded = c.workspace;
      progress.step("run %s failed at %s; recorded in %s (rerun with the same --run-id to resume)", runId,
          step == null ? "start" : step.label(), c.workspace.recordFile());
    } catch (Exception recordingFailed) {
      // Spark's own exceptions (a write that ran out of space) are checked ones thrown from Scala: catch them all.
      failure.addSuppressed(recordingFailed);
      progress.step("run %s failed at %s and its failure could not be recorded: %s", runId,
          step == null ? "start" : step.label(), recordingFailed.getMessage());
    }
  }

  private RunResult result(RunContext c, List<StepOutcome> ran, List<RunStep> alreadyDone) {
    JsonNode gate = c.findings(RunStep.GATE);
    Map<String, CheckStatus> segments = new LinkedHashMap<>();
    gate.path("segments").forEach(s -> segments.put(s.path("segment").asText(),
        CheckStatus.parse(s.path("verdict").asText(), "segment " + s.path("segment").asText() + " of the run's gate")));
    CheckStatus verdict = gate.hasNonNull("verdict") ? CheckStatus.parse(gate.get("verdict").asText(), "the run's gate")
        : null;
    boolean complete = c.finished.containsKey(RunStep.RECORD);
    return new RunResult(runId, complete ? STATUS_COMPLETED : STATUS_PARTIAL, verdict, segments,
        ran, alreadyDone, complete ? c.workspace.recordFile() : null,
        c.finished.containsKey(RunStep.REPORT) ? c.workspace.reportFile() : null,
        c.finished.containsKey(RunStep.REPORT) ? c.workspace.summaryFile() : null, gateLines(c));
  }

  private static List<RunResult.GateLine> gateLines(RunContext c) {
    List<RunResult.GateLine> lines = new ArrayList<>();
    for (JsonNode g : c.findings(RunStep.EVALUATE).path("gates")) {
      lines.add(new RunResult.GateLine(g.path("segment").asText(), g.path("metric").asText(), g.path("role").asText(),
          CheckStatus.parse(g.path("status").asText(), "a gate of the run's evaluation"), number(g, "delta"),
          number(g, "ci_low"), number(g, "ci_high"), number(g, "margin")));
    }
    return lines;
  }

  private static Double number(JsonNode n, String field) {
    return n.hasNonNull(field) ? n.get(field).asDouble() : null;
  }

  @SuppressWarnings("unchecked")
  private static <T extends Throwable> T sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private static void requireSet(Object value, String name) {
    if (value == null) {
      throw new IllegalStateException("RunJob." + name + " must be set before execute()");
    }
  }
}
