package io.rehearsal.pipelines.evaluation;

import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import java.util.List;
import java.util.Map;

/** What {@code evaluate} did: the verdict with every check, the scoring records, statistics and tables written. */
public record EvaluateResult(
    String runId,
    String baseline,
    String candidate,
    GateEvaluation.Verdict verdict,
    List<ModelScoring> scoring,
    List<MetricStatistic> statistics,
    List<SegmentComparison> comparisons,
    Map<String, Long> tableVersions,
    String tablesFolder,
    double elapsedSeconds) {

  public boolean failed() {
    return verdict.overall() == CheckStatus.FAIL;
  }
}
