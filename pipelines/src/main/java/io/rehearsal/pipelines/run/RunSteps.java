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
import io.rehearsal.pipelines.features.BackfillJob;
import io.rehearsal.pipelines.features.BackfillResult;
import io.rehearsal.pipelines.features.BackfillSummary;
import io.rehearsal.pipelines.features.ParityJob;
import io.rehearsal.pipelines.features.ParityResult;
import io.rehearsal.pipelines.features.ParitySummary;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestValidator;
import io.rehearsal.pipelines.simulation.SimulationJob;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.pipelines.simulation.SimulationSummary;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.snapshot.SnapshotResult;
import io.rehearsal.pipelines.snapshot.SnapshotSummary;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.hash.ContentHash;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The steps of a run, each from the run's context to its outcome: the step jobs with the manifest pinned to the run's
 * workspace, their summaries printed to {@code out}, their findings kept for the gate, the record and the report.
 */
final class RunSteps {

  private final SparkSession spark;
  private final TableStore store;
  private final String runId;
  private final Progress progress;
  private final PrintStream out;
  private final String snapshotSalt;
  private final String modelSalt;

  RunSteps(SparkSession spark, TableStore store, String runId, Progress progress, PrintStream out, String snapshotSalt,
      String modelSalt) {
    this.spark = spark;
    this.store = store;
    this.runId = runId;
    this.progress = progress;
    this.out = out;
    this.snapshotSalt = snapshotSalt;
    this.modelSalt = modelSalt;
  }

  /** Runs one step of the run (the job group and saving its outcome are the caller's). */
  StepOutcome run(RunStep step, RunContext c, long started) {
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

  private StepOutcome validate(RunContext c, long started) {
    Map<String, TableSource> pinned = new ManifestValidator(spark, store).validateOrThrow(c.manifest,
        warning -> progress.step("%s", warning));
    if (c.manifest.hasEvaluation()) {
      PowerForecast.warnings(c.ledger, c.manifest.name(), runId).forEach(w -> progress.step("%s", w));
    }
    c.featureSet();
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    ArrayNode inputs = findings.putArray("inputs");
    pinned.forEach((name, s) -> inputs.addObject().put("name", name).put("path", s.path())
        .put("version", s.version()));
    return StepOutcome.done(RunStep.VALIDATE, seconds(started), c.manifest.segments().size() + " segment(s), inputs "
        + String.join(", ", pinned.values().stream().map(s -> s.name() + (s.version() == null ? "" : " v" + s.version())).toList()),
        findings);
  }

  private StepOutcome plan(RunContext c, long started) {
    String text = manifestText(c.manifest);
    Map<String, TableSource> pinned = new LinkedHashMap<>();
    for (JsonNode in : c.findings(RunStep.VALIDATE).path("inputs")) {
      TableSource declared = c.manifest.input(in.path("name").asText());
      pinned.put(in.path("name").asText(), declared.atVersion(in.hasNonNull("version") ? in.get("version").asLong() : null));
    }
    LedgerEntry entry = appendedBeforeAKill(c, LedgerEntry.PLAN,
        b -> c.manifest.sha256().equals(b.path("manifest").path("sha256").asText()));
    ObjectNode body;
    if (entry == null) {
      body = RunPlan.build(spark, c.manifest, text, c.featureSet(), pinned, c.workspace, RunContext.now());
      entry = c.ledger.append(runId, LedgerEntry.PLAN, body);
    } else {
      body = (ObjectNode) entry.body();
    }
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
      if (!ContentHash.sha256Hex(text).equals(manifest.sha256())) {
        throw RehearsalException.invalidInput("Cannot register the plan of run " + runId,
            manifest.file() + " changed while the run was starting", "run again once the file is no longer being edited");
      }
      return text;
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot read manifest " + manifest.file(), e.toString(), "check the file", e);
    }
  }

  static RehearsalException noSalt(String runId) {
    return RehearsalException.invalidInput("Cannot snapshot run " + runId, "no pseudonymization salt was given",
        "set REHEARSAL_PSEUDONYM_SALT or REHEARSAL_PSEUDONYM_SALT_FILE, or pass --salt-file FILE");
  }

  private StepOutcome snapshot(RunContext c, long started) {
    if (snapshotSalt == null) {
      throw noSalt(runId);
    }
    SnapshotResult r = given(new SnapshotJob(), c).salt(snapshotSalt).inputsValidated().execute();
    out.print(SnapshotSummary.format(r, c.pinned().warehouse()));
    return StepOutcome.done(RunStep.SNAPSHOT, seconds(started), r.segments().size() + " segment snapshot(s)"
        + (r.quarantinedEvents() == 0 ? "" : ", " + r.quarantinedEvents() + " input events quarantined"),
        RunFindings.snapshot(r));
  }

  private StepOutcome backfill(RunContext c, long started) {
    BackfillResult r = given(new BackfillJob(), c).featureSet(c.featureSet()).execute();
    out.print(BackfillSummary.format(r));
    return StepOutcome.done(RunStep.BACKFILL, seconds(started), r.tables().size() + " feature table(s), as-of "
        + r.asOfStart() + " … " + r.asOfEnd(), RunFindings.backfill(r));
  }

  private StepOutcome parity(RunContext c, long started) {
    ParityResult r = given(new ParityJob(), c).featureSet(c.featureSet()).execute();
    out.print(ParitySummary.format(r));
    return StepOutcome.done(RunStep.PARITY, seconds(started), CheckStatus.of(r.passed()).name(), RunFindings.parity(r));
  }

  private StepOutcome evaluate(RunContext c, long started) {
    EvaluateResult r = given(new EvaluateJob(), c).salt(modelSalt).execute();
    out.print(EvaluationSummary.format(r, c.manifest.gates().primary().metric()));
    return StepOutcome.done(RunStep.EVALUATE, seconds(started), "verdict " + r.verdict().overall(),
        RunFindings.evaluate(r));
  }

  private StepOutcome simulate(RunContext c, long started) {
    SimulationResult r = given(new SimulationJob(), c).salt(modelSalt).execute();
    out.print(SimulationSummary.format(r));
    return StepOutcome.done(RunStep.SIMULATE, seconds(started), CheckStatus.of(r.passed()).name(),
        RunFindings.simulate(r));
  }

  private StepOutcome drift(RunContext c, long started) {
    DriftResult r = given(new DriftJob(), c).featureSet(c.featureSet()).execute();
    out.print(DriftSummary.format(r));
    return StepOutcome.done(RunStep.DRIFT, seconds(started), r.alerted() ? "alerts (reported, not gated)" : "no alerts",
        RunFindings.drift(r));
  }

  private StepOutcome gate(RunContext c, long started) {
    ObjectNode findings = RunGate.decide(c.findings(RunStep.EVALUATE), c.done(RunStep.EVALUATE),
        c.findings(RunStep.PARITY), c.done(RunStep.PARITY), c.findings(RunStep.SIMULATE), c.done(RunStep.SIMULATE),
        c.findings(RunStep.DRIFT), c.done(RunStep.DRIFT));
    return StepOutcome.done(RunStep.GATE, seconds(started), "verdict " + findings.path("verdict").asText(), findings);
  }

  private StepOutcome record(RunContext c, long started) {
    LedgerEntry entry = appendedBeforeAKill(c, LedgerEntry.RESULT,
        b -> RunJob.STATUS_COMPLETED.equals(b.path("status").asText()));
    ObjectNode body;
    if (entry == null) {
      body = c.resultBody(RunJob.STATUS_COMPLETED, null, null);
      body.put("hash_scheme", OutputTables.HASH_SCHEME);
      ArrayNode outputs = body.putArray("outputs");
      for (OutputTables.Output o : OutputTables.of(spark, store, c.workspace.root())) {
        outputs.addObject().put("table", o.table()).put("path", o.path()).put("version", o.version()).put("rows", o.rows())
            .put("content_hash", o.contentHash());
      }
      entry = c.ledger.append(runId, LedgerEntry.RESULT, body);
    } else {
      body = (ObjectNode) entry.body();
    }
    c.writeRecordFile();
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    findings.set("result", body);
    findings.put("ledger_seq", entry.seq());
    findings.put("entry_sha256", entry.sha256());
    return StepOutcome.done(RunStep.RECORD, seconds(started), "ledger entry " + entry.seq() + " ("
        + entry.sha256().substring(0, 12) + "), " + c.workspace.recordFile(), findings);
  }

  /**
   * The run's last ledger entry, when it is this step's entry: a process killed after appending it and before saving
   * the step left it, and the resumed step reuses it instead of appending it twice. Null otherwise (a first attempt;
   * after a recorded failure the last entry is that failure's result).
   */
  private LedgerEntry appendedBeforeAKill(RunContext c, String kind, java.util.function.Predicate<JsonNode> same) {
    List<LedgerEntry> mine = c.ledger.entriesOf(runId);
    LedgerEntry last = mine.isEmpty() ? null : mine.get(mine.size() - 1);
    if (last == null || !kind.equals(last.kind()) || !(last.body() instanceof ObjectNode) || !same.test(last.body())) {
      return null;
    }
    progress.step("run %s: its %s entry %d is already in the ledger (the attempt that appended it stopped before "
        + "finishing the step): reused", runId, kind, last.seq());
    return last;
  }

  private StepOutcome report(RunContext c, long started) {
    JsonNode planBody = c.findings(RunStep.PLAN).path("plan");
    JsonNode resultBody = c.findings(RunStep.RECORD).path("result");
    c.writeReport(planBody, resultBody);
    ObjectNode findings = JsonNodeFactory.instance.objectNode();
    findings.put("report", c.workspace.reportFile());
    findings.put("summary", c.workspace.summaryFile());
    return StepOutcome.done(RunStep.REPORT, seconds(started), c.workspace.reportFile(), findings);
  }

  private StepOutcome teardown(RunContext c, long started) {
    spark.catalog().clearCache();
    c.files.deleteRecursively(c.workspace.scratch());
    return StepOutcome.done(RunStep.TEARDOWN, seconds(started), "removed " + c.workspace.scratch()
        + " and cached data; outputs, record and report stay", JsonNodeFactory.instance.objectNode());
  }

  /** The step's job given the run's session, table store, pinned manifest, run id and progress. */
  private <J extends StepJob<J>> J given(J job, RunContext c) {
    return job.spark(spark).store(store).manifest(c.pinned()).runId(runId).progress(progress);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }
}
