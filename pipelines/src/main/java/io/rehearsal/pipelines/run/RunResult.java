package io.rehearsal.pipelines.run;

import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.List;
import java.util.Map;

/**
 * What {@code run} did: the run id, its status ({@code completed}, or {@code partial} when only some steps
 * were asked for; a failed step throws, its failure is in the ledger), the verdict once gated (else null), per
 * segment verdicts, the steps this invocation ran or skipped and those it found already done, and where the
 * record, report and summary are.
 */
public record RunResult(String runId, String status, CheckStatus verdict, Map<String, CheckStatus> segmentVerdicts,
    List<StepOutcome> steps, List<RunStep> alreadyDone, String recordFile, String reportFile, String summaryFile,
    List<GateLine> gates) {

  /** One KPI gate decision, for the console table. */
  public record GateLine(String segment, String metric, String role, CheckStatus status, Double delta, Double ciLow,
      Double ciHigh, Double margin) {}

  public RunResult {
    segmentVerdicts = OrderedMaps.copyOf(segmentVerdicts);
    steps = List.copyOf(steps);
    alreadyDone = List.copyOf(alreadyDone);
    gates = List.copyOf(gates);
  }
}
