package io.rehearsal.pipelines.evaluation;

import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.PairedComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where {@code evaluate} writes (Delta), under {@code <warehouse>/evaluation/<manifest name>/}:
 * recommendations (both models' lists), scoring (one record per segment × model), users (per-user
 * outcomes and slices), user_metrics (per user × metric, both models), metrics (per segment, slice and
 * pooled statistics), gates (every check of the verdict) and comparison (interleaving and shadow). The
 * schemas and row builders of the tables written from the driver (scoring, metrics, gates, comparison) live here.
 */
public final class EvaluationTables {

  public static final String RECOMMENDATIONS = "recommendations";
  public static final String SCORING = "scoring";
  public static final String USERS = "users";
  public static final String USER_METRICS = "user_metrics";
  public static final String METRICS = "metrics";
  public static final String GATES = "gates";
  public static final String COMPARISON = "comparison";

  private EvaluationTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    return WarehousePaths.under(warehouse, "evaluation", manifestName, table);
  }

  static final StructType SCORING_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("model_version", DataTypes.StringType, false)
      .add("users_scored", DataTypes.LongType, false)
      .add("users_with_model_list", DataTypes.LongType, false)
      .add("users_with_fallback", DataTypes.LongType, false)
      .add("users_without_list", DataTypes.LongType, false)
      .add("failures", DataTypes.LongType, false)
      .add("failure_detail", DataTypes.StringType, false)
      .add("seconds", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> scoringRows(List<ModelScoring> scoring, String runId) {
    return scoring.stream().map(s -> RowFactory.create(s.segment(), s.role(), s.kind(), s.version(), s.usersScored(),
        s.usersWithModelList(), s.usersWithFallback(), s.usersWithoutList(), s.failures(), s.failureDetail(),
        s.seconds(), runId)).toList();
  }

  static final StructType METRICS_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("slice", DataTypes.StringType, false)
      .add("slice_value", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("users", DataTypes.LongType, false)
      .add("baseline_mean", DataTypes.DoubleType, true)
      .add("candidate_mean", DataTypes.DoubleType, true)
      .add("difference", DataTypes.DoubleType, true)
      .add("relative_lift", DataTypes.DoubleType, true)
      .add("t_low", DataTypes.DoubleType, true)
      .add("t_high", DataTypes.DoubleType, true)
      .add("bootstrap_low", DataTypes.DoubleType, true)
      .add("bootstrap_high", DataTypes.DoubleType, true)
      .add("confidence", DataTypes.DoubleType, false)
      .add("p_value", DataTypes.DoubleType, true)
      .add("adjusted_p_value", DataTypes.DoubleType, true)
      .add("bootstrap_seed", DataTypes.LongType, false)
      .add("resamples", DataTypes.IntegerType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> metricRows(List<MetricStatistic> statistics, String runId) {
    return statistics.stream().map(m -> {
      PairedComparison c = m.comparison();
      return RowFactory.create(m.segment(), m.slice(), m.sliceValue(), m.metric(), c.n(), nan(c.baselineMean()),
          nan(c.candidateMean()), nan(c.meanDifference()), c.relativeLift(), nan(c.tLow()), nan(c.tHigh()),
          nan(c.bootstrapLow()), nan(c.bootstrapHigh()), c.confidence(), nan(c.pValue()), m.adjustedP(), c.seed(),
          c.resamples(), runId);
    }).toList();
  }

  static final StructType GATES_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("role", DataTypes.StringType, false)
      .add("test", DataTypes.StringType, false)
      .add("threshold", DataTypes.StringType, false)
      .add("alpha", DataTypes.DoubleType, true)
      .add("users", DataTypes.LongType, true)
      .add("required_users", DataTypes.LongType, true)
      .add("baseline", DataTypes.DoubleType, true)
      .add("candidate", DataTypes.DoubleType, true)
      .add("difference", DataTypes.DoubleType, true)
      .add("t_low", DataTypes.DoubleType, true)
      .add("t_high", DataTypes.DoubleType, true)
      .add("lower_bound", DataTypes.DoubleType, true)
      .add("non_inferiority_p_value", DataTypes.DoubleType, true)
      .add("harm_p_value", DataTypes.DoubleType, true)
      .add("adjusted_p_value", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("segment_status", DataTypes.StringType, false)
      .add("overall_status", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> gateRows(GateEvaluation.Verdict verdict, String runId) {
    List<Row> rows = new ArrayList<>();
    for (GateEvaluation.Check c : verdict.checks()) {
      PairedComparison p = c.comparison();
      String threshold = c.gate().relativeMargin()
          ? String.format(Locale.ROOT, "margin %s%% of baseline (= %.6g)", c.gate().margin() * 100, c.absoluteMargin())
          : String.format(Locale.ROOT, "margin %.6g", c.absoluteMargin());
      rows.add(RowFactory.create(c.segment(), c.gate().metric(), c.gate().role().name().toLowerCase(Locale.ROOT),
          GateEvaluation.TEST, threshold, c.gate().alpha(), p.n(),
          c.requiredUsers() == Long.MAX_VALUE ? null : c.requiredUsers(), nan(p.baselineMean()), nan(p.candidateMean()),
          nan(p.meanDifference()), nan(p.tLow()), nan(p.tHigh()), nan(c.lowerBound()), nan(c.nonInferiorityP()),
          nan(p.harmPValue()), nan(c.adjustedHarmP()),
          c.status().name(), c.message(), verdict.bySegment().get(c.segment()).name(), verdict.overall().name(), runId));
    }
    for (Guardrail.Check g : verdict.guardrails()) {
      rows.add(RowFactory.create(g.segment(), g.guardrail().metric(), "guardrail", "bound", g.guardrail().bounds(), null,
          null, null, g.baseline(), g.candidate(), g.candidate() - g.baseline(), null, null, null, null, null, null,
          g.status().name(), g.message(), verdict.bySegment().get(g.segment()).name(), verdict.overall().name(), runId));
    }
    return rows;
  }

  static final StructType COMPARISON_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("depth", DataTypes.IntegerType, false)
      .add("interleaving_wins", DataTypes.LongType, false)
      .add("interleaving_losses", DataTypes.LongType, false)
      .add("interleaving_ties", DataTypes.LongType, false)
      .add("candidate_preference", DataTypes.DoubleType, true)
      .add("sign_test_p_value", DataTypes.DoubleType, false)
      .add("users", DataTypes.LongType, false)
      .add("overlap", DataTypes.DoubleType, true)
      .add("jaccard", DataTypes.DoubleType, true)
      .add("rank_biased_overlap", DataTypes.DoubleType, true)
      .add("kendall_tau", DataTypes.DoubleType, true)
      .add("score_ks", DataTypes.DoubleType, true)
      .add("baseline_score_median", DataTypes.DoubleType, true)
      .add("candidate_score_median", DataTypes.DoubleType, true)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> comparisonRows(List<SegmentComparison> comparisons, String runId) {
    return comparisons.stream().map(c -> RowFactory.create(c.segment(), c.depth(), c.wins(), c.losses(), c.ties(),
        c.preference(), c.signTestP(), c.users(), c.overlap(), c.jaccard(), c.rbo(), c.kendallTau(), c.scoreKs(),
        c.baselineScoreMedian(), c.candidateScoreMedian(), runId)).toList();
  }

  private static Double nan(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
