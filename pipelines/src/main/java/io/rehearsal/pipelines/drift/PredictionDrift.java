package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import io.rehearsal.pipelines.evaluation.ModelLists;
import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.drift.DriftSuite;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import io.rehearsal.transforms.ranking.GroundTruth;
import io.rehearsal.transforms.ranking.ModelSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * Prediction drift: the built-in models scored at the end of the reference window and at the end of the
 * current window (cutoff = the next day) for each segment's users; per list entry (rank ≤ the largest
 * evaluation k) the score, the item's share of the segment's interactions in the 30 days before that
 * cutoff, and the item's category. Features are named {@code <role>_<measure>}.
 */
final class PredictionDrift {

  /** The entity name of prediction drift. */
  public static final String PREDICTION = "prediction";
  /** Days of interactions behind a recommended item's popularity share. */
  static final int PREDICTION_POPULARITY_DAYS = 30;

  /** Separates a segment from a model role in the profiled key of prediction rows. */
  private static final String ROLE = "\u0002";

  private final SparkSession spark;
  private final TableStore store;
  private final Manifest manifest;
  private final Progress progress;

  PredictionDrift(SparkSession spark, TableStore store, Manifest manifest, Progress progress) {
    this.spark = spark;
    this.store = store;
    this.manifest = manifest;
    this.progress = progress;
  }

  /** The prediction entity's drift, compared per segment and model role; null when no model is built in. */
  DriftResult.EntityDrift profile(Map<String, FeatureInputs> inputs, Map<String, double[]> stored) {
    DriftSection d = manifest.drift();
    List<ModelSpec> models = new ArrayList<>();
    for (ModelSpec m : List.of(manifest.baseline(), manifest.candidate())) {
      if (m.kind().builtIn()) {
        models.add(m);
      } else {
        progress.step("prediction drift skips %s: its lists do not depend on the window", m.describe());
      }
    }
    if (models.isEmpty()) {
      return null;
    }
    int k = manifest.evaluation().ks().stream().mapToInt(Integer::intValue).max().orElse(10);
    Dataset<Row> items = store.read(store.pin(manifest.input("items")));
    Dataset<Row> categories = Arrays.asList(items.columns()).contains("category")
        ? items.select(col("item_id"), col("category").cast("string").as("item_category"))
        : items.select(col("item_id"), lit(null).cast("string").as("item_category"));
    long t0 = System.nanoTime();
    Dataset<Row> rows = null;
    for (String window : List.of(DriftSuite.REFERENCE, DriftSuite.CURRENT)) {
      LocalDate cutoff = (window.equals(DriftSuite.REFERENCE) ? d.referenceEnd() : d.currentEnd()).plusDays(1);
      try (ModelLists lists = new ModelLists(spark, store, manifest, cutoff)) {
        Dataset<Row> windowRows = null;
        for (Map.Entry<String, FeatureInputs> e : inputs.entrySet()) {
          Dataset<Row> events = e.getValue().events();
          Dataset<Row> counts = events.where(GroundTruth.trainingWindow(cutoff, PREDICTION_POPULARITY_DAYS))
              .groupBy("item_id").count();
          Row total = counts.agg(sum("count")).first();
          double n = total.isNullAt(0) ? 0 : total.getLong(0);
          Dataset<Row> popularity = counts.select(col("item_id"),
              n == 0 ? lit(0.0).as("item_popularity") : col("count").divide(n).as("item_popularity"));
          for (ModelSpec model : models) {
            Dataset<Row> part = lists.lists(model, e.getKey(), events, e.getValue().users(), k)
                .where(col("rank").leq(k))
                .join(popularity, Columns.using("item_id"), "left")
                .join(broadcast(categories), Columns.using("item_id"), "left")
                .select(lit(e.getKey() + ROLE + model.role()).as("__segment"), lit(window).as("__window"),
                    col("score").cast(DataTypes.DoubleType).as("score"),
                    coalesce(col("item_popularity"), lit(0.0)).as("item_popularity"),
                    col("item_category"));
            windowRows = windowRows == null ? part : windowRows.unionByName(part);
          }
        }
        // Checkpointed (eagerly, lineage cut) before the window's models are released: releasing a cached
        // model would otherwise invalidate a cache built on it, and profiling would score all over again.
        windowRows = windowRows.localCheckpoint(true);
        progress.step("predictions at cutoff %s (%s window): %,d list entries", cutoff, window, windowRows.count());
        rows = rows == null ? windowRows : rows.unionByName(windowRows);
      }
    }
    Map<String, double[]> storedForPredictions = new HashMap<>();
    List<String> numeric = List.of("score", "item_popularity");
    for (String segment : d.segments()) {
      for (ModelSpec model : models) {
        for (String f : numeric) {
          double[] edges = stored.get(DriftTables.edgeKey(segment, PREDICTION, model.role() + "_" + f));
          if (edges != null) {
            storedForPredictions.put(DriftSuite.key(segment + ROLE + model.role(), f), edges);
          }
        }
      }
    }
    DriftSuite.Profiles profiles = DriftSuite.profile(rows, "__segment", "__window", DriftSuite.REFERENCE, numeric,
        List.of("item_category"), storedForPredictions);
    Map<String, List<FeatureDrift>> current = new LinkedHashMap<>();
    Map<String, Long> rowsBySegment = new LinkedHashMap<>();
    Map<String, double[]> edges = new LinkedHashMap<>();
    for (String segment : d.segments()) {
      List<FeatureDrift> drifts = new ArrayList<>();
      for (ModelSpec model : models) {
        String key = segment + ROLE + model.role();
        String role = model.role();
        profiles.compare(key, DriftSuite.REFERENCE, DriftSuite.CURRENT, f -> predictionThresholds(d, role + "_" + f,
                numeric.contains(f)))
            .forEach(f -> drifts.add(f.as(segment, role + "_" + f.feature())));
        rowsBySegment.merge(segment, profiles.rows(key, DriftSuite.CURRENT), Long::sum);
        for (String f : numeric) {
          double[] e = profiles.edges().get(DriftSuite.key(key, f));
          if (e != null) {
            edges.put(DriftTables.edgeKey(segment, PREDICTION, role + "_" + f), e);
          }
        }
      }
      drifts.sort(Comparator.comparing(FeatureDrift::feature));
      current.put(segment, drifts);
      progress.step("%s predictions: %d alerts, %d warnings", segment,
          DriftJob.count(drifts, DriftThresholds.Level.ALERT),
          DriftJob.count(drifts, DriftThresholds.Level.WARN));
    }
    long total = rowsBySegment.values().stream().mapToLong(Long::longValue).sum();
    Map<String, Double> share = new LinkedHashMap<>();
    rowsBySegment.forEach((segment, n) -> share.put(segment, total == 0 ? 0.0 : (double) n / total));
    progress.step("predictions profiled in %.1fs", (System.nanoTime() - t0) / 1e9);
    return new DriftResult.EntityDrift(PREDICTION, current, share, Map.of(), Map.of(), edges, List.of());
  }

  /**
   * A prediction feature's thresholds: its override, else the defaults — for numeric ones with PSI reported
   * but not gated (see {@link DriftThresholds#withoutPsiGate}).
   */
  private static DriftThresholds predictionThresholds(DriftSection d, String feature, boolean numeric) {
    DriftThresholds override = d.overrideOf(feature);
    if (override != null) {
      return override;
    }
    return numeric ? d.thresholds().withoutPsiGate() : d.thresholds();
  }
}
