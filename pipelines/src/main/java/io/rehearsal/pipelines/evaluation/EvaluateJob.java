package io.rehearsal.pipelines.evaluation;

import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.GatesSection;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.PairedOutcomes;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.Guardrail;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Offline ranking regression (docs/metrics.md): for every evaluated segment, both models produce lists for
 * the snapshot's users from data before the cutoff; the lists are judged against the held-out horizon per
 * user; the paired per-user differences give per-segment, per-slice and pooled statistics; the declared
 * gates give a verdict per segment and overall. Everything is written to Delta
 * ({@link EvaluationTables}); the verdict is data and the caller decides (the CLI exits 3 on FAIL).
 */
public final class EvaluateJob extends StepJob<EvaluateJob> {

  private String salt;

  /** The snapshot's pseudonymization salt: needed only to match a saved model's or table's production user ids. */
  public EvaluateJob salt(String salt) {
    this.salt = salt;
    return this;
  }

  public EvaluateResult execute() {
    checkGiven("Cannot evaluate");
    if (!manifest.hasEvaluation()) {
      throw RehearsalException.invalidInput("Cannot evaluate manifest " + manifest.file(),
          "the manifest has no 'models', 'evaluation' and 'gates' sections",
          "declare the baseline and candidate models, the evaluation protocol and the gates; see docs/metrics.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-evaluate-" + runId, "evaluate " + manifest.name(),
        () -> run(started));
  }

  private EvaluateResult run(long started) {
    EvaluationSpec spec = manifest.evaluation();
    Dataset<Row> catalog = store.read(store.pin(manifest.input("items")));
    ModelScorer scorer = ModelScorer.forManifest(spark, store, manifest, salt, catalog);
    Map<String, Long> versions = new LinkedHashMap<>();
    List<ModelScoring> scoring = new ArrayList<>();
    List<PairedOutcomes.Outcome> outcomes = new ArrayList<>();
    List<SegmentComparison> comparisons = new ArrayList<>();
    List<Guardrail.Check> guardrailChecks = new ArrayList<>();
    progress.step("evaluate: %s vs %s; cutoff %s, horizon %d days, k %s, segments %s", manifest.baseline().describe(),
        manifest.candidate().describe(), spec.cutoff(), spec.horizonDays(), spec.ks(), spec.segments());
    SegmentEvaluation segments = new SegmentEvaluation(store, manifest, runId, progress, scorer, catalog);
    try {
      for (String segment : spec.segments()) {
        SegmentEvaluation.Result r = segments.evaluate(segment, (segmentScoring, recommendationsVersion) -> {
          versions.put(EvaluationTables.RECOMMENDATIONS, recommendationsVersion);
          scoring.addAll(segmentScoring);
          versions.put(EvaluationTables.SCORING, write(EvaluationTables.SCORING,
              EvaluationTables.scoringRows(scoring, runId), EvaluationTables.SCORING_SCHEMA));
        });
        versions.put(EvaluationTables.USERS, r.usersVersion());
        versions.put(EvaluationTables.USER_METRICS, r.userMetricsVersion());
        outcomes.addAll(r.outcomes());
        comparisons.add(r.comparison());
        guardrailChecks.addAll(r.guardrails());
      }
    } finally {
      scorer.release();
    }
    GatesSection gates = manifest.gates();
    List<MetricStatistic> statistics = PairedOutcomes.statistics(outcomes, spec, gates.paired());
    GateEvaluation.Verdict verdict = PairedOutcomes.gate(outcomes, spec, gates.paired(), gates.correction())
        .withGuardrails(guardrailChecks);
    versions.put(EvaluationTables.METRICS, write(EvaluationTables.METRICS,
        EvaluationTables.metricRows(statistics, runId), EvaluationTables.METRICS_SCHEMA));
    versions.put(EvaluationTables.GATES, write(EvaluationTables.GATES, EvaluationTables.gateRows(verdict, runId),
        EvaluationTables.GATES_SCHEMA));
    versions.put(EvaluationTables.COMPARISON, write(EvaluationTables.COMPARISON,
        EvaluationTables.comparisonRows(comparisons, runId), EvaluationTables.COMPARISON_SCHEMA));
    return new EvaluateResult(runId, manifest.baseline().describe(), manifest.candidate().describe(), verdict, scoring,
        statistics, comparisons, versions, EvaluationTables.path(manifest.warehouse(), manifest.name(), ""),
        (System.nanoTime() - started) / 1e9);
  }

  private long write(String table, List<Row> rows, StructType schema) {
    return store.overwrite(rows, schema, EvaluationTables.path(manifest.warehouse(), manifest.name(), table), runId)
        .version();
  }

}
