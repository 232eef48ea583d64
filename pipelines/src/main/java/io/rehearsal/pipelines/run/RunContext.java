package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.report.RunReport;
import io.rehearsal.transforms.RehearsalException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the steps of one run share: the manifest as loaded and as pinned to the run's workspace, the ledger, the
 * finished steps' outcomes; and the run's record (the result entry's body, record.json, the report) built from them.
 */
final class RunContext {

  final String runId;
  final Manifest manifest;
  final RunWorkspace workspace;
  final Ledger ledger;
  final RunFiles files;
  final Map<RunStep, StepOutcome> finished;
  private Manifest pinned;
  private FeatureSet featureSet;

  RunContext(String runId, Manifest manifest, RunWorkspace workspace, Ledger ledger, RunFiles files,
      Map<RunStep, StepOutcome> finished) {
    this.runId = runId;
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

  /** The run's report and summary files from the plan and result entries' bodies. */
  void writeReport(JsonNode planBody, JsonNode resultBody) {
    files.write(workspace.reportFile(), RunReport.html(planBody, resultBody));
    files.write(workspace.summaryFile(), RunReport.markdown(planBody, resultBody, workspace.reportFile()));
  }

  /** The result entry's body from the finished steps (outputs are added by the record step). */
  ObjectNode resultBody(String status, RunStep failedStep, Exception failure) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("status", status);
    JsonNode gate = findings(RunStep.GATE);
    body.put("verdict", failure != null ? RunJob.VERDICT_ERROR : gate.path("verdict").asText(RunJob.VERDICT_ERROR));
    if (failure != null) {
      body.putObject("failure").put("step", failedStep == null ? "start" : failedStep.label())
          .put("message", message(failure));
    } else {
      body.putNull("failure");
    }
    body.put("finished_at", now());
    body.put("record_path", workspace.recordFile());
    body.put("report_path", workspace.reportFile());
    body.put("plan_sha256", findings(RunStep.PLAN).path("entry_sha256").asText(null));
    ArrayNode steps = body.putArray("steps");
    for (StepOutcome o : finished.values()) {
      steps.addObject().put("step", o.step().label()).put("status", o.status()).put("seconds", Math.round(o.seconds() * 10) / 10.0)
          .put("note", o.note());
    }
    if (failure != null) {
      steps.addObject().put("step", failedStep == null ? "start" : failedStep.label()).put("status", "failed")
          .put("note", message(failure));
    }
    body.set("checks", gate.get("checks"));
    body.set("segments", gate.get("segments"));
    JsonNode evaluation = findings(RunStep.EVALUATE);
    body.set("gates", evaluation.get("gates"));
    body.set("metrics", evaluation.get("metrics"));
    body.set("interleaving", evaluation.get("interleaving"));
    body.set("models", JsonNodeFactory.instance.objectNode().put("baseline", evaluation.path("baseline").asText(null))
        .put("candidate", evaluation.path("candidate").asText(null)));
    body.set("drift", findings(RunStep.DRIFT).get("drift"));
    body.set("parity", findings(RunStep.PARITY).get("parity"));
    body.set("simulation", findings(RunStep.SIMULATE).get("simulation"));
    body.set("snapshots", findings(RunStep.SNAPSHOT).get("snapshots"));
    body.set("quarantine", findings(RunStep.SNAPSHOT).get("quarantine"));
    body.set("feature_tables", findings(RunStep.BACKFILL).get("feature_tables"));
    return body;
  }

  /** record.json: every ledger entry of the run. */
  void writeRecordFile() {
    ObjectNode record = JsonNodeFactory.instance.objectNode();
    record.put("format", "rehearsal-run-record/v1");
    record.put("run_id", runId);
    record.put("ledger", ledger.path());
    ArrayNode entries = record.putArray("entries");
    ledger.entriesOf(runId).forEach(e -> entries.add(e.toJson()));
    files.write(workspace.recordFile(), CanonicalJson.pretty(record));
  }

  static String message(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RehearsalException) {
        return c.getMessage();
      }
    }
    return String.valueOf(t);
  }

  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
