package io.rehearsal.pipelines.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.run.CanonicalJson;
import io.rehearsal.pipelines.run.RunJob;
import io.rehearsal.pipelines.run.RunResult;
import io.rehearsal.pipelines.run.RunStep;
import io.rehearsal.pipelines.run.RunWorkspace;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import io.rehearsal.transforms.RehearsalException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "run", mixinStandardHelpOptions = true,
    header = "Run every step of a manifest; record the verdict in the ledger.",
    description = {
        "One testbed run of a manifest: validate → plan (pre-registered in the ledger) → snapshot → backfill →",
        "parity → evaluate → simulate → drift → gate → record → report → teardown, in the run's own workspace",
        "<warehouse>/runs/<run id>/. The ledger (<warehouse>/ledger) gets the plan before any result and the result",
        "at the end; record.json, report.html and summary.md are written next to the outputs.",
        "A failed run resumes after its last finished step when run again with the same --run-id; --fresh starts",
        "over. --step runs one step of a run (e.g. one Airflow task per step) once the steps it reads have finished.",
        "The last line of standard output is one line of JSON: run_id, status, verdict, record, report."},
    footer = {"", "Exit codes: 0 verdict PASS (INCONCLUSIVE without --strict; or the steps asked for finished before the",
        "gate), 1 runtime failure (recorded in the ledger), 2 invalid input, 3 verdict FAIL (or INCONCLUSIVE with --strict)."})
public final class RunCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--fresh", description = "Delete this run id's workspace and start over (the ledger keeps its entries).")
  boolean fresh;

  @Option(names = "--step", paramLabel = "STEP", description = "Run only this step: ${COMPLETION-CANDIDATES}.",
      completionCandidates = StepNames.class)
  String step;

  @Option(names = "--salt-file", paramLabel = "FILE",
      description = "Pseudonymization salt (default: $" + PseudonymSalt.ENV + " or $" + PseudonymSalt.FILE_ENV + ").")
  String saltFile;

  @Option(names = "--strict", description = "Exit 3 on an INCONCLUSIVE verdict too.")
  boolean strict;

  /** The step names, for --help. */
  static final class StepNames extends ArrayList<String> {
    StepNames() {
      super(RunStep.labels());
    }
  }

  @Override
  public Integer call() {
    RunStep only = null;
    if (step != null) {
      only = RunStep.parse(step);
      if (only == null) {
        throw RehearsalException.invalidInput("Cannot run step '" + step + "'", "there is no such step",
            "use one of " + String.join(", ", RunStep.labels()));
      }
    }
    SparkSession spark = sparkOptions.session("rehearsal-run");
    String runId = sparkOptions.runId(manifestOptions.manifest.getFileName().toString().replaceFirst("\\.ya?ml$", ""));
    String salt = ModelSaltOptions.saltOrNull(saltFile);
    RunJob job = new RunJob()
        .spark(spark)
        .store(new DeltaTableStore(spark))
        .manifestFile(manifestOptions.manifest)
        .lake(manifestOptions.lake)
        .warehouse(manifestOptions.warehouse)
        .runId(runId)
        .fresh(fresh)
        .only(only)
        .snapshotSalt(salt)
        .modelSalt(salt)
        .progress(Progress.to(System.out))
        .out(System.out);
    RunResult result;
    try {
      result = job.execute();
    } catch (Throwable failure) {
      // The scheduler still gets its line of JSON: the run id, ERROR, and the record that holds the failure.
      RunWorkspace recorded = job.failureRecorded();
      System.out.println();
      System.out.println(resultLine(runId, "failed", "ERROR", recorded == null ? null : recorded.recordFile(),
          recorded == null ? null : recorded.reportFile()));
      throw failure;
    }
    print(result, System.out);
    return exitCode(result, strict);
  }

  static int exitCode(RunResult result, boolean strict) {
    if (result.verdict() != null && result.verdict().failsRun(strict)) {
      return RehearsalCli.EXIT_CHECK_FAILED;
    }
    return RehearsalCli.EXIT_OK;
  }

  static void print(RunResult result, PrintStream out) {
    out.println();
    if (result.verdict() != null) {
      StringBuilder segments = new StringBuilder();
      result.segmentVerdicts().forEach((s, v) -> segments.append(segments.length() == 0 ? "" : ", ").append(s).append(' ').append(v));
      out.println("Verdict of run " + result.runId() + ": " + result.verdict()
          + (segments.length() == 0 ? "" : " — " + segments));
    }
    if (!result.gates().isEmpty()) {
      out.printf(Locale.ROOT, "  %-20s %-18s %-10s %-12s %10s  %-22s %9s%n", "segment", "metric", "role", "status",
          "delta", "95% CI", "margin");
      for (RunResult.GateLine g : result.gates()) {
        out.printf(Locale.ROOT, "  %-20s %-18s %-10s %-12s %10s  %-22s %9s%n", g.segment(), g.metric(), g.role(), g.status(),
            num(g.delta()), g.ciLow() == null ? "" : "[" + num(g.ciLow()) + ", " + num(g.ciHigh()) + "]",
            g.margin() == null ? "" : "-" + String.format(Locale.ROOT, "%.4f", g.margin()));
      }
    }
    if (result.recordFile() != null) {
      out.println("Record: " + result.recordFile());
    }
    if (result.reportFile() != null) {
      out.println("Report: " + result.reportFile());
      out.println("Summary (Markdown, for PR comments): " + result.summaryFile());
    }
    out.println(resultLine(result.runId(), result.status(), result.verdict() == null ? null : result.verdict().name(),
        result.recordFile(), result.reportFile()));
  }

  /** The last line of standard output, for schedulers: one line of JSON. */
  private static String resultLine(String runId, String status, String verdict, String record, String report) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("run_id", runId);
    json.put("status", status);
    json.put("verdict", verdict);
    json.put("record", record);
    json.put("report", report);
    return CanonicalJson.of(json);
  }

  private static String num(Double v) {
    return v == null ? "" : String.format(Locale.ROOT, "%+.4f", v);
  }
}
