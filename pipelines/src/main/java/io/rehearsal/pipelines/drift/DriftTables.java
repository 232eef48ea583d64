package io.rehearsal.pipelines.drift;

import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.transforms.drift.DriftAssessment;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where {@code drift} writes (Delta), under {@code <warehouse>/drift/<manifest name>/}: features (one row per
 * entity × segment × feature, reference against current, with every statistic, the level and the traffic
 * weight), edges (the bin edges each numeric feature used, reused by later runs with the same feature set
 * and reference window), series (per series as-of day: PSI against the reference and against the previous
 * day), cohorts (per cohort × feature inside each segment: country, device, new vs returning; items by
 * category) and diagnostics (per segment: alerts, top features, change days, suggested retraining window).
 * Entity {@code prediction} holds the models' lists (prediction drift). The schemas and the row builders that
 * turn a run's {@link DriftResult.EntityDrift}s into those tables live here.
 */
public final class DriftTables {

  public static final String FEATURES = "features";
  public static final String EDGES = "edges";
  public static final String SERIES = "series";
  public static final String COHORTS = "cohorts";
  public static final String DIAGNOSTICS = "diagnostics";

  private DriftTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    return WarehousePaths.under(warehouse, "drift", manifestName, table);
  }

  /** The key of a feature's bin edges: {@code segment|entity|feature} (as {@link #edgeRows} splits it). */
  static String edgeKey(String segment, String entity, String feature) {
    return segment + "|" + entity + "|" + feature;
  }

  static final StructType FEATURES_SCHEMA = new StructType()
      .add("entity", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("feature", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("reference", DataTypes.StringType, false)
      .add("current", DataTypes.StringType, false)
      .add("reference_rows", DataTypes.LongType, false)
      .add("current_rows", DataTypes.LongType, false)
      .add("reference_missing_rate", DataTypes.DoubleType, false)
      .add("current_missing_rate", DataTypes.DoubleType, false)
      .add("psi", DataTypes.DoubleType, false)
      .add("js_distance", DataTypes.DoubleType, false)
      .add("l_infinity", DataTypes.DoubleType, false)
      .add("chi_square", DataTypes.DoubleType, false)
      .add("chi_square_p", DataTypes.DoubleType, false)
      .add("ks", DataTypes.DoubleType, true)
      .add("wasserstein_normalized", DataTypes.DoubleType, true)
      .add("reference_mean", DataTypes.DoubleType, true)
      .add("current_mean", DataTypes.DoubleType, true)
      .add("reference_p50", DataTypes.DoubleType, true)
      .add("current_p50", DataTypes.DoubleType, true)
      .add("reference_p90", DataTypes.DoubleType, true)
      .add("current_p90", DataTypes.DoubleType, true)
      .add("bin_edges", DataTypes.createArrayType(DataTypes.DoubleType), false)
      .add("appeared", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("vanished", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("level", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("traffic_share", DataTypes.DoubleType, false)
      .add("weighted_psi", DataTypes.DoubleType, false)
      .add("severity", DataTypes.DoubleType, false)
      .add("weighted_severity", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false);

  /** One row per entity × segment × feature: reference against current, every statistic and the level. */
  static List<Row> featureRows(List<DriftResult.EntityDrift> entities, String reference, String current,
      String runId) {
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (Map.Entry<String, List<FeatureDrift>> s : e.current().entrySet()) {
        double share = e.trafficShare().get(s.getKey());
        for (FeatureDrift f : s.getValue()) {
          rows.add(RowFactory.create(e.entity(), f.segment(), f.feature(), f.kind().name().toLowerCase(Locale.ROOT),
              reference, current, f.referenceRows(), f.currentRows(), f.referenceMissingRate(), f.currentMissingRate(),
              f.psi(), f.jensenShannon(), f.lInfinity(), f.chiSquare(), f.chiSquarePValue(), f.ks(), f.wasserstein(),
              f.referenceMean(), f.currentMean(), f.referenceP50(), f.currentP50(), f.referenceP90(), f.currentP90(),
              f.edges().toArray(new Double[0]), f.appeared().toArray(new String[0]), f.vanished().toArray(new String[0]),
              f.level().name(), f.reason(), share, new DriftResult.Ranked(e.entity(), f, share).weightedPsi(),
              f.severity(), f.severity() * share, runId));
        }
      }
    }
    return rows;
  }

  static final StructType COHORTS_SCHEMA = new StructType()
      .add("entity", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("slice", DataTypes.StringType, false)
      .add("value", DataTypes.StringType, false)
      .add("reference_rows", DataTypes.LongType, false)
      .add("current_rows", DataTypes.LongType, false)
      .add("share_of_segment", DataTypes.DoubleType, false)
      .add("feature", DataTypes.StringType, false)
      .add("psi", DataTypes.DoubleType, false)
      .add("ks", DataTypes.DoubleType, true)
      .add("wasserstein_normalized", DataTypes.DoubleType, true)
      .add("severity", DataTypes.DoubleType, false)
      .add("level", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> cohortRows(List<DriftResult.EntityDrift> entities, String runId) {
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (DriftResult.CohortDrift c : e.cohorts()) {
        for (FeatureDrift f : c.drifts()) {
          rows.add(RowFactory.create(e.entity(), c.segment(), c.slice(), c.value(), c.referenceRows(), c.currentRows(),
              c.share(), f.feature(), f.psi(), f.ks(), f.wasserstein(), f.severity(), f.level().name(), f.reason(),
              runId));
        }
      }
    }
    return rows;
  }

  static final StructType EDGES_SCHEMA = new StructType()
      .add("entity", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("feature", DataTypes.StringType, false)
      .add("feature_set", DataTypes.StringType, false)
      .add("reference", DataTypes.StringType, false)
      .add("binning", DataTypes.StringType, false)
      .add("edges", DataTypes.createArrayType(DataTypes.DoubleType), false)
      .add("reused", DataTypes.BooleanType, false)
      .add("run_id", DataTypes.StringType, false);

  /** The bin edges each numeric feature used, keyed segment|entity|feature; reused when {@code stored} had them. */
  static List<Row> edgeRows(List<DriftResult.EntityDrift> entities, Map<String, double[]> stored, String featureSetId,
      String reference, String runId) {
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (Map.Entry<String, double[]> edge : e.edges().entrySet()) {
        String[] key = edge.getKey().split("\\|", 3);
        rows.add(RowFactory.create(key[1], key[0], key[2], featureSetId, reference, DriftAssessment.BINNING,
            Arrays.stream(edge.getValue()).boxed().toArray(Double[]::new), stored.containsKey(edge.getKey()),
            runId));
      }
    }
    return rows;
  }

  static final StructType SERIES_SCHEMA = new StructType()
      .add("entity", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("feature", DataTypes.StringType, false)
      .add("as_of_date", DataTypes.DateType, false)
      .add("rows", DataTypes.LongType, false)
      .add("psi_vs_reference", DataTypes.DoubleType, false)
      .add("level_vs_reference", DataTypes.StringType, false)
      .add("psi_vs_previous", DataTypes.DoubleType, true)
      .add("level_vs_previous", DataTypes.StringType, true)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> seriesRows(List<DriftResult.EntityDrift> entities, String runId) {
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (Map.Entry<String, Map<LocalDate, List<FeatureDrift>>> s : e.vsReference().entrySet()) {
        for (Map.Entry<LocalDate, List<FeatureDrift>> day : s.getValue().entrySet()) {
          List<FeatureDrift> previous = e.vsPrevious().get(s.getKey()).get(day.getKey());
          for (int i = 0; i < day.getValue().size(); i++) {
            FeatureDrift f = day.getValue().get(i);
            FeatureDrift p = previous == null ? null : previous.get(i);
            rows.add(RowFactory.create(e.entity(), f.segment(), f.feature(), Date.valueOf(day.getKey()),
                f.currentRows(), f.psi(), f.level().name(), p == null ? null : p.psi(),
                p == null ? null : p.level().name(), runId));
          }
        }
      }
    }
    rows.sort(Comparator.comparing((Row r) -> r.getString(0)).thenComparing(r -> r.getString(1))
        .thenComparing(r -> r.getString(2)).thenComparing(r -> r.getDate(3)));
    return rows;
  }

  static final StructType DIAGNOSTICS_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("alerts", DataTypes.LongType, false)
      .add("warnings", DataTypes.LongType, false)
      .add("weighted_psi", DataTypes.DoubleType, false)
      .add("top_features", DataTypes.createArrayType(DataTypes.StringType), false)
      .add("change_days", DataTypes.createArrayType(DataTypes.DateType), false)
      .add("retrain_from", DataTypes.DateType, true)
      .add("retrain_to", DataTypes.DateType, true)
      .add("retrain_reason", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> diagnosisRows(List<DriftResult.SegmentDiagnosis> diagnoses, String runId) {
    return diagnoses.stream().map(g -> RowFactory.create(g.segment(), g.alerts(), g.warnings(), g.weightedPsi(),
        g.topFeatures().toArray(new String[0]),
        g.changeDays().stream().map(Date::valueOf).toArray(Date[]::new),
        g.retrainFrom() == null ? null : Date.valueOf(g.retrainFrom()),
        g.retrainTo() == null ? null : Date.valueOf(g.retrainTo()), g.retrainReason(), runId)).toList();
  }
}
