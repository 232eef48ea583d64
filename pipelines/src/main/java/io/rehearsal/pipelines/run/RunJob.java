package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.drift.DriftJob;
import io.rehearsal.pipelines.drift.DriftResult;
import io.rehearsal.pipelines.drift.DriftSummary;
import io.rehearsal.pipelines.evaluation.EvaluateJob;
import io.rehearsal.pipelines.evaluation.EvaluateResult;
import io.rehearsal.pipelines.evaluation.EvaluationSummary;
import io.rehearsal.pipelines.simulation.SimulationJob;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.pipelines.simulation.SimulationSummary;
import io.rehearsal.pipelines.features.BackfillJob;
import io.rehearsal.pipelines.features.BackfillResult;
import io.rehearsal.pipelines.features.BackfillSummary;
import io.rehearsal.pipelines.features.ParityJob;
import io.rehearsal.pipelines.features.ParityResult;
import io.rehearsal.pipelines.features.ParitySummary;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.manifest.ManifestValidator;
import io.rehearsal.pipelines.report.RunReport;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.snapshot.SnapshotResult;
import io.rehearsal.pipelines.snapshot.SnapshotSummary;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * One testbed run of a manifest in its own workspace: validate → plan (pre-registered in the ledger) →
 * snapshot → backfill → parity → evaluate → simulate → drift → gate → record → report → teardown.
 * Every finished step is saved in the workspace, so a failed run resumes after its last finished step,
 * and one step can run alone (an Airflow task) once the steps it reads have finished.
 */
public final class RunJob {

  public static final String STATUS_COMPLETED = "completed";
  public static final String STATUS_FAILED = "failed";
  public static final String STATUS_PARTIAL = "partial";
  public static final String VERDICT_ERROR = "ERROR";

  private SparkSession spark;
  private TableStore store;
  private Path manifestFile;
  private String lakeOverride;
  private String warehouseOverride;
  private String runId;
  private boolean fresh;
  private RunStep only;
  private String snapshotSalt;
  private String modelSalt;
  private Progress progress = Progress.silent();
  private PrintStream out = new PrintStream(java.io.OutputStream.nullOutputStream());
  /** Where a failed execute() recorded its failure; null until then, or when it could not record it. */
  private RunWorkspace failureRecorded;

  public RunJob spark(SparkSession spark) {
    this.spark = spark;
    return this;
  }

  public RunJob store(TableStore store) {
    this.store = store;
    return this;
  }

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

  public RunJob runId(String runId) {
    this.runId = runId;
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

  public RunJob progress(Progress progress) {
    this.progress = progress;
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
    if (fresh && workspace.exists()) {
      progress.step("--fresh: removing the workspace of run %s at %s", runId, workspace.root());
      workspace.delete();
    }
    Map<RunStep, StepOutcome> finished = new LinkedHashMap<>(workspace.finished());
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
    Context context = new Context(manifest, workspace, ledger, files, finished);
    List<StepOutcome> ran = new ArrayList<>();
    RunStep current = null;
    try {
      for (RunStep step : todo) {
        current = step;
        long started = System.nanoTime();
        StepOutcome outcome = RehearsalSpark.inJobGroup(spark, "rehearsal-run-" + step.label(),
            "run " + runId + ": " + step.label(), () -> runStep(step, context, started));
        workspace.save(outcome);
        finished.put(step, outcome);
        ran.add(outcome);
      }
    } catch (Exception e) {
      // Spark's AnalysisException is a checked exception thrown from Scala: catch everything, rethrow it as is.
      recordFailure(context, current, e);
      throw RunJob.<RuntimeException>sneaky(e);
    }
    return result(context, ran, alreadyDone);
  }

  private List<RunStep> stepsToRun(Map<RunStep, StepOutcome> finished) {
    if (only == null) {
      return java.util.Arrays.stream(RunStep.values()).filter(s -> !finished.containsKey(s)).toList();
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

  /** What the steps share: the manifest as loaded and as pinned to the run's workspace, and where things go. */
  private final class Context {
    final Manifest manifest;
    final RunWorkspace workspace;
    final Ledger ledger;
    final RunFiles files;
    final Map<RunStep, StepOutcome> finished;
    private Manifest pinned;
    private FeatureSet featureSet;

    Context(Manifest manifest, RunWorkspace workspace, Ledger ledger, RunFiles files, Map<RunStep, StepOutcome> finished) {
      this.manifest = manifest;
      this.workspace = workspace;
      this.ledger = ledger;
      this.files = files;
      this.finished = finished;
    }

    JsonNode findings(RunStep step) {
      StepOutcome o = finished.get(step);
      return o == null ? JsonNodeFactory.instance.objectNode() : o.findings();
    }

    boolean done(RunStep step) {
      StepOutcome o = finished.get(step);
      return o != null && StepOutcome.DONE.equals(o.status());
    }

    /** The manifest writing to this run's workspace and reading the inputs at the versions its plan pinned. */
    Manifest pinned() {
      if (pinned == null) {
        Map<String, TableSource> inputs = new LinkedHashMap<>();
        JsonNode planned = findings(RunStep.PLAN).path("plan").path("inputs");
        manifest.inputs().forEach((name, source) -> {
          Long version = null;
          for (JsonNode in : planned) {
            if (in.path("name").asText().equals(name) && in.hasNonNull("version")) {
              version = in.get("version").asLong();
            }
          }
          inputs.put(name, source.atVersion(version != null ? version : source.version()));
        });
        pinned = manifest.inWorkspace(workspace.root(), inputs);
      }
      return pinned;
    }

    FeatureSet featureSet() {
      if (featureSet == null && manifest.hasFeatures()) {
        featureSet = new FeatureSetLoader().forManifest(manifest);
      }
      return featureSet;
    }
  }

  private StepOutcome runStep(RunStep step, Context c, long started) {
    progress.step("run %s: %s", runId, step.label());
    return switch (step) {
      case VALIDATE -> validate(c, started);
      case PLAN -> plan(c, started);
      case SNAPSHOT -> snapshot(c, started);
      case BACKFILL -> c.manifest.hasFeatures() ? backfill(c, started)
          : StepOutcome.skipped(step, "the manifest declares no features");
      case PARITY -> c.manifest.hasFeatures() && c.manifest.features().parity() != null ? parity(c, started)
          : StepOutcome.skipped(step, "the manifest declares no feature parity");
      case EVALUATE -> c.manifest.hasEvaluation() ? evaluate(c, started)
          : StepOutcome.skipped(step, "the manifest declares no models and gates");
      case SIMULATE -> c.manifest.hasSimulation() ? simulate(c, started)
          : StepOutcome.skipped(step, "the manifest declares no simulation");
      case DRIFT -> c.manifest.hasDrift() ? drift(c, started)
          : StepOutcome.skipped(step, "the manifest declares no drift suite");
      case GATE -> gate(c, started);
      case RECORD -> record(c, started);
      case REPORT -> report(c, started);
      case TEARDOWN -> teardown(c, started);
    };
  }

  private StepOutcome validate(Context c, long started) {
    Map<String, TableSource> pinned = new ManifestValidator(spark, store).validateOrThrow(c.manifest);
    c.featureSet();
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    ArrayNode inputs = findings.putArray("inputs");
    pinned.forEach((name, s) -> inputs.addObject().put("name", name).put("path", s.path())
        .put("version", s.version()));
    return StepOutcome.done(RunStep.VALIDATE, seconds(started), c.manifest.segments().size() + " segment(s), inputs "
        + String.join(", ", pinned.values().stream().map(s -> s.name() + (s.version() == null ? "" : " v" + s.version())).toList()),
        findings);
  }

  private StepOutcome plan(Context c, long started) {
    String text = manifestText(c.manifest);
    Map<String, TableSource> pinned = new LinkedHashMap<>();
    for (JsonNode in : c.findings(RunStep.VALIDATE).path("inputs")) {
      TableSource declared = c.manifest.input(in.path("name").asText());
      pinned.put(in.path("name").asText(), declared.atVersion(in.hasNonNull("version") ? in.get("version").asLong() : null));
    }
    ObjectNode body = RunPlan.build(spark, c.manifest, text, c.featureSet(), pinned, c.workspace, now());
    LedgerEntry entry = c.ledger.append(runId, LedgerEntry.PLAN, body);
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    findings.set("plan", body);
    findings.put("ledger_seq", entry.seq());
    findings.put("entry_sha256", entry.sha256());
    return StepOutcome.done(RunStep.PLAN, seconds(started), "ledger entry " + entry.seq() + " (" + entry.sha256().substring(0, 12)
        + ") in " + c.ledger.path(), findings);
  }

  private String manifestText(Manifest manifest) {
    try {
      byte[] bytes = Files.readAllBytes(Path.of(manifest.file()));
      String text = new String(bytes, StandardCharsets.UTF_8);
      if (!io.rehearsal.transforms.hash.ContentHash.sha256Hex(text).equals(manifest.sha256())) {
        throw RehearsalException.invalidInput("Cannot register the plan of run " + runId,
            manifest.file() + " changed while the run was starting", "run again once the file is no longer being edited");
      }
      return text;
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot read manifest " + manifest.file(), e.toString(), "check the file", e);
    }
  }

  private StepOutcome snapshot(Context c, long started) {
    if (snapshotSalt == null) {
      throw RehearsalException.invalidInput("Cannot snapshot run " + runId, "no pseudonymization salt was given",
          "set REHEARSAL_PSEUDONYM_SALT or REHEARSAL_PSEUDONYM_SALT_FILE, or pass --salt-file FILE");
    }
    SnapshotResult r = new SnapshotJob().spark(spark).store(store).manifest(c.pinned()).salt(snapshotSalt).runId(runId)
        .progress(progress).execute();
    out.print(SnapshotSummary.format(r, c.pinned().warehouse()));
    return StepOutcome.done(RunStep.SNAPSHOT, seconds(started), r.segments().size() + " segment snapshot(s)",
        RunFindings.snapshot(r));
  }

  private StepOutcome backfill(Context c, long started) {
    BackfillResult r = new BackfillJob().spark(spark).store(store).manifest(c.pinned()).featureSet(c.featureSet())
        .runId(runId).progress(progress).execute();
    out.print(BackfillSummary.format(r));
    return StepOutcome.done(RunStep.BACKFILL, seconds(started), r.tables().size() + " feature table(s), as-of "
        + r.asOfStart() + " … " + r.asOfEnd(), RunFindings.backfill(r));
  }

  private StepOutcome parity(Context c, long started) {
    ParityResult r = new ParityJob().spark(spark).store(store).manifest(c.pinned()).featureSet(c.featureSet())
        .runId(runId).progress(progress).execute();
    out.print(ParitySummary.format(r));
    return StepOutcome.done(RunStep.PARITY, seconds(started), r.passed() ? "PASS" : "FAIL", RunFindings.parity(r));
  }

  private StepOutcome evaluate(Context c, long started) {
    EvaluateResult r = new EvaluateJob().spark(spark).store(store).manifest(c.pinned()).runId(runId).salt(modelSalt)
        .progress(progress).execute();
    out.print(EvaluationSummary.format(r, c.manifest.gates().primary().metric()));
    return StepOutcome.done(RunStep.EVALUATE, seconds(started), "verdict " + r.verdict().overall(),
        RunFindings.evaluate(r));
  }

  private StepOutcome simulate(Context c, long started) {
    SimulationResult r = new SimulationJob().spark(spark).store(store).manifest(c.pinned()).runId(runId).salt(modelSalt)
        .progress(progress).execute();
    out.print(SimulationSummary.format(r));
    return StepOutcome.done(RunStep.SIMULATE, seconds(started), r.passed() ? "PASS" : "FAIL", RunFindings.simulate(r));
  }

  private StepOutcome drift(Context c, long started) {
    DriftResult r = new DriftJob().spark(spark).store(store).manifest(c.pinned()).featureSet(c.featureSet()).runId(runId)
        .progress(progress).execute();
    out.print(DriftSummary.format(r));
    return StepOutcome.done(RunStep.DRIFT, seconds(started), r.alerted() ? "alerts (reported, not gated)" : "no alerts",
        RunFindings.drift(r));
  }

  private StepOutcome gate(Context c, long started) {
    ObjectNode findings = RunGate.decide(c.findings(RunStep.EVALUATE), c.done(RunStep.EVALUATE),
        c.findings(RunStep.PARITY), c.done(RunStep.PARITY), c.findings(RunStep.SIMULATE), c.done(RunStep.SIMULATE),
        c.findings(RunStep.DRIFT), c.done(RunStep.DRIFT));
    return StepOutcome.done(RunStep.GATE, seconds(started), "verdict " + findings.path("verdict").asText(), findings);
  }

  private StepOutcome record(Context c, long started) {
    ObjectNode body = resultBody(c, STATUS_COMPLETED, null, null);
    ArrayNode outputs = body.putArray("outputs");
    for (OutputTables.Output o : OutputTables.of(spark, store, c.workspace.root())) {
      outputs.addObject().put("table", o.table()).put("path", o.path()).put("version", o.version()).put("rows", o.rows())
          .put("content_hash", o.contentHash());
    }
    LedgerEntry entry = c.ledger.append(runId, LedgerEntry.RESULT, body);
    writeRecordFile(c);
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    findings.set("result", body);
    findings.put("ledger_seq", entry.seq());
    findings.put("entry_sha256", entry.sha256());
    return StepOutcome.done(RunStep.RECORD, seconds(started), "ledger entry " + entry.seq() + " ("
        + entry.sha256().substring(0, 12) + "), " + c.workspace.recordFile(), findings);
  }

  private StepOutcome report(Context c, long started) {
    JsonNode planBody = c.findings(RunStep.PLAN).path("plan");
    JsonNode resultBody = c.findings(RunStep.RECORD).path("result");
    writeReport(c, planBody, resultBody);
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    findings.put("report", c.workspace.reportFile());
    findings.put("summary", c.workspace.summaryFile());
    return StepOutcome.done(RunStep.REPORT, seconds(started), c.workspace.reportFile(), findings);
  }

  private StepOutcome teardown(Context c, long started) {
    spark.catalog().clearCache();
    c.files.deleteRecursively(c.workspace.scratch());
    return StepOutcome.done(RunStep.TEARDOWN, seconds(started), "removed " + c.workspace.scratch()
        + " and cached data; outputs, record and report stay", JsonNodeFactory.instance.objectNode());
  }

  private void writeReport(Context c, JsonNode planBody, JsonNode resultBody) {
    c.files.write(c.workspace.reportFile(), RunReport.html(planBody, resultBody));
    c.files.write(c.workspace.summaryFile(), RunReport.markdown(planBody, resultBody, c.workspace.reportFile()));
  }

  /** The result entry's body from the finished steps (outputs are added by the record step). */
  private ObjectNode resultBody(Context c, String status, RunStep failedStep, Exception failure) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", status);
    JsonNode gate = c.findings(RunStep.GATE);
    body.put("verdict", failure != null ? VERDICT_ERROR : gate.path("verdict").asText(VERDICT_ERROR));
    if (failure != null) {
      body.putObject("failure").put("step", failedStep == null ? "start" : failedStep.label())
          .put("message", message(failure));
    } else {
      body.putNull("failure");
    }
    body.put("finished_at", now());
    body.put("record_path", c.workspace.recordFile());
    body.put("report_path", c.workspace.reportFile());
    body.put("plan_sha256", c.findings(RunStep.PLAN).path("entry_sha256").asText(null));
    ArrayNode steps = body.putArray("steps");
    for (StepOutcome o : c.finished.values()) {
      steps.addObject().put("step", o.step().label()).put("status", o.status()).put("seconds", Math.round(o.seconds() * 10) / 10.0)
          .put("note", o.note());
    }
    if (failure != null) {
      steps.addObject().put("step", failedStep == null ? "start" : failedStep.label()).put("status", "failed")
          .put("note", message(failure));
    }
    body.set("checks", gate.get("checks"));
    body.set("segments", gate.get("segments"));
    JsonNode evaluation = c.findings(RunStep.EVALUATE);
    body.set("gates", evaluation.get("gates"));
    body.set("metrics", evaluation.get("metrics"));
    body.set("interleaving", evaluation.get("interleaving"));
    body.set("models", JsonNodeFactory.instance.objectNode().put("baseline", evaluation.path("baseline").asText(null))
        .put("candidate", evaluation.path("candidate").asText(null)));
    body.set("drift", c.findings(RunStep.DRIFT).get("drift"));
    body.set("parity", c.findings(RunStep.PARITY).get("parity"));
    body.set("simulation", c.findings(RunStep.SIMULATE).get("simulation"));
    body.set("snapshots", c.findings(RunStep.SNAPSHOT).get("snapshots"));
    body.set("feature_tables", c.findings(RunStep.BACKFILL).get("feature_tables"));
    return body;
  }

  private void writeRecordFile(Context c) {
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("format", "rehearsal-run-record/v1");
    record.put("run_id", runId);
    record.put("ledger", c.ledger.path());
    ArrayNode entries = record.putArray("entries");
    c.ledger.entriesOf(runId).forEach(e -> entries.add(e.toJson()));
    c.files.write(c.workspace.recordFile(), CanonicalJson.pretty(record));
  }

  /** A failed step still leaves a record: a result entry saying where and how it failed, the file and a report. */
  private void recordFailure(Context c, RunStep step, Exception failure) {
    try {
      ObjectNode body = resultBody(c, STATUS_FAILED, step, failure);
      c.ledger.append(runId, LedgerEntry.RESULT, body);
      writeRecordFile(c);
      writeReport(c, c.findings(RunStep.PLAN).path("plan"), body);
      failureRecorded = c.workspace;
      progress.step("run %s failed at %s; recorded in %s (rerun with the same --run-id to resume)", runId,
          step == null ? "start" : step.label(), c.workspace.recordFile());
    } catch (RuntimeException recordingFailed) {
      failure.addSuppressed(recordingFailed);
      progress.step("run %s failed at %s and its failure could not be recorded: %s", runId,
          step == null ? "start" : step.label(), recordingFailed.getMessage());
    }
  }

  private RunResult result(Context c, List<StepOutcome> ran, List<RunStep> alreadyDone) {
    JsonNode gate = c.findings(RunStep.GATE);
    Map<String, String> segments = new LinkedHashMap<>();
    gate.path("segments").forEach(s -> segments.put(s.path("segment").asText(), s.path("verdict").asText()));
    boolean complete = c.finished.containsKey(RunStep.RECORD);
    return new RunResult(runId, complete ? STATUS_COMPLETED : STATUS_PARTIAL, gate.path("verdict").asText(null), segments,
        ran, alreadyDone, complete ? c.workspace.recordFile() : null,
        c.finished.containsKey(RunStep.REPORT) ? c.workspace.reportFile() : null,
        c.finished.containsKey(RunStep.REPORT) ? c.workspace.summaryFile() : null, gateLines(c));
  }

  private static List<RunResult.GateLine> gateLines(Context c) {
    List<RunResult.GateLine> lines = new ArrayList<>();
    for (JsonNode g : c.findings(RunStep.EVALUATE).path("gates")) {
      lines.add(new RunResult.GateLine(g.path("segment").asText(), g.path("metric").asText(), g.path("role").asText(),
          g.path("status").asText(), number(g, "delta"), number(g, "ci_low"), number(g, "ci_high"), number(g, "margin")));
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

  private static String message(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RehearsalException) {
        return c.getMessage();
      }
    }
    return String.valueOf(t);
  }

  private static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static void requireSet(Object value, String name) {
    if (value == null) {
      throw new IllegalStateException("RunJob." + name + " must be set before execute()");
    }
  }
}
