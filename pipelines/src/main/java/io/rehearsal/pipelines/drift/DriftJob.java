package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.pipelines.evaluation.ModelLists;
import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.drift.DriftAssessment;
import io.rehearsal.transforms.drift.DriftSuite;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import io.rehearsal.transforms.ranking.GroundTruth;
import io.rehearsal.transforms.ranking.ModelSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The drift suite (docs/drift.md): the manifest's feature set is computed from each segment's snapshot at
 * the as-of days of the reference window, the current window and the time series (the same code as
 * backfill, so drift never depends on which days were backfilled); then, per entity, every segment ×
 * window × feature is profiled in three Spark passes and compared. Results, bin edges, the series and the
 * per-segment diagnostics go to Delta ({@link DriftTables}); levels are data and the caller decides (the
 * CLI exits 3 on an alert).
 */
public final class DriftJob extends StepJob<DriftJob> {

  private FeatureSet featureSet;
  private String referenceRun;

  public DriftJob featureSet(FeatureSet featureSet) {
    this.featureSet = featureSet;
    return this;
  }

  /**
   * Compare with the snapshots written by an earlier snapshot run instead of the declared reference window:
   * both sides are then computed at the current window's days, the reference from that run's snapshots (the
   * series and prediction drift need a reference window and are skipped).
   */
  public DriftJob referenceRun(String referenceRun) {
    this.referenceRun = referenceRun;
    return this;
  }

  public DriftResult execute() {
    checkGiven("Cannot run the drift suite");
    RehearsalException.check(featureSet != null, "Cannot run the drift suite", "no feature set was given");
    if (!manifest.hasDrift()) {
      throw RehearsalException.invalidInput("Cannot run the drift suite on manifest " + manifest.file(),
          "the manifest has no 'drift' section",
          "declare drift: { reference: { start, end }, current: { start, end } }; see docs/drift.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-drift-" + runId, "drift " + manifest.name(), () -> run(started));
  }

  private DriftResult run(long started) {
    DriftSection d = manifest.drift();
    RehearsalException.check(referenceRun == null || !referenceRun.isBlank(), "Cannot run the drift suite",
        "the reference run id must be non-empty, got '" + referenceRun + "'");
    List<LocalDate> series = d.seriesDays();
    progress.step("drift: reference %s … %s, current %s … %s%s; segments %s; feature set %s", d.referenceStart(),
        d.referenceEnd(), d.currentStart(), d.currentEnd(), series.isEmpty() ? ""
            : String.format(Locale.ROOT, ", series %s … %s every %d days (%d as-of days)", d.seriesStart(),
                d.seriesEnd(), d.seriesStepDays(), series.size()), d.segments(), featureSet.id());
    Map<String, SnapshotIndex.Entry> snapshots = new LinkedHashMap<>();
    Map<String, FeatureInputs> inputs = new LinkedHashMap<>();
    for (String segment : d.segments()) {
      SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segment);
      snapshots.put(segment, snapshot);
      inputs.put(segment, FeatureInputs.ofSnapshot(store, manifest.warehouse(), snapshot).persisted());
    }
    Map<String, FeatureInputs> referenceInputs = null;
    if (referenceRun != null) {
      series = List.of();
      referenceInputs = new LinkedHashMap<>();
      for (String segment : d.segments()) {
        SnapshotIndex.Entry reference = SnapshotIndex.ofRun(store, manifest.warehouse(), manifest.name(), segment,
            referenceRun);
        progress.step("%s: reference snapshot %s of run %s (%,d users), current snapshot %s of run %s (%,d users)",
            segment, reference.snapshotId(), referenceRun, reference.users(), snapshots.get(segment).snapshotId(),
            snapshots.get(segment).runId(), snapshots.get(segment).users());
        referenceInputs.put(segment, FeatureInputs.ofSnapshot(store, manifest.warehouse(), reference).persisted());
      }
    }
    Map<String, double[]> stored = storedEdges();
    List<DriftResult.EntityDrift> entities = new ArrayList<>();
    try {
      for (Entity entity : d.entities()) {
        if (featureSet.features().specsOf(entity).isEmpty()) {
          continue;
        }
        entities.add(entity(entity, d, series, inputs, referenceInputs, stored));
      }
      if (d.predictions() && manifest.hasEvaluation()) {
        if (referenceRun != null) {
          progress.step("prediction drift skipped: it compares lists scored at the end of the reference and current "
              + "windows, and a reference run has no reference window");
        } else {
          DriftResult.EntityDrift predictions = predictions(d, inputs, stored);
          if (predictions != null) {
            entities.add(predictions);
          }
        }
      }
    } finally {
      inputs.values().forEach(FeatureInputs::release);
      if (referenceInputs != null) {
        referenceInputs.values().forEach(FeatureInputs::release);
      }
    }
    Map<String, Long> versions = new LinkedHashMap<>();
    versions.put(DriftTables.FEATURES, write(DriftTables.FEATURES, featureRows(entities), FEATURES_SCHEMA));
    versions.put(DriftTables.EDGES, write(DriftTables.EDGES, edgeRows(entities, stored), EDGES_SCHEMA));
    versions.put(DriftTables.SERIES, write(DriftTables.SERIES, seriesRows(entities), SERIES_SCHEMA));
    versions.put(DriftTables.COHORTS, write(DriftTables.COHORTS, cohortRows(entities), COHORTS_SCHEMA));
    List<DriftResult.SegmentDiagnosis> diagnoses = DriftDiagnostics.diagnose(entities, series);
    versions.put(DriftTables.DIAGNOSTICS, write(DriftTables.DIAGNOSTICS, diagnosisRows(diagnoses), DIAGNOSTICS_SCHEMA));
    return new DriftResult(runId, featureSet.id(), d, referenceLabel(), entities, diagnoses, versions,
        DriftTables.path(manifest.warehouse(), manifest.name(), ""), (System.nanoTime() - started) / 1e9);
  }

  /** Feature rows of one snapshot's entity at the given as-of days, in one computation. */
  private Dataset<Row> featureRows(FeatureInputs in, Entity entity, TreeSet<LocalDate> days) {
    return featureSet.features().compute(in.events(), in.entityTable(entity), entity, days);
  }

  private DriftResult.EntityDrift entity(Entity entity, DriftSection d, List<LocalDate> series,
      Map<String, FeatureInputs> inputs, Map<String, FeatureInputs> referenceInputs, Map<String, double[]> stored) {
    String entityName = entity.name().toLowerCase(Locale.ROOT);
    TreeSet<LocalDate> currentDays = new TreeSet<>();
    for (LocalDate day = d.currentStart(); !day.isAfter(d.currentEnd()); day = day.plusDays(1)) {
      currentDays.add(day);
    }
    TreeSet<LocalDate> days = new TreeSet<>(series);
    days.addAll(currentDays);
    if (referenceInputs == null) {
      for (LocalDate day = d.referenceStart(); !day.isAfter(d.referenceEnd()); day = day.plusDays(1)) {
        days.add(day);
      }
    }
    Dataset<Row> all = null;
    for (Map.Entry<String, FeatureInputs> e : inputs.entrySet()) {
      Dataset<Row> rows = featureRows(e.getValue(), entity, days).withColumn("__segment", lit(e.getKey()));
      all = all == null ? rows : all.unionByName(rows);
    }
    Column asOf = col(RollingFeatures.AS_OF_DATE);
    List<Column> labels = new ArrayList<>();
    if (referenceInputs == null) {
      labels.add(when(asOf.between(java.sql.Date.valueOf(d.referenceStart()), java.sql.Date.valueOf(d.referenceEnd())),
          lit(DriftSuite.REFERENCE)));
    }
    labels.add(when(asOf.between(java.sql.Date.valueOf(d.currentStart()), java.sql.Date.valueOf(d.currentEnd())),
        lit(DriftSuite.CURRENT)));
    for (LocalDate day : series) {
      labels.add(when(asOf.equalTo(java.sql.Date.valueOf(day)), lit(day.toString())));
    }
    Dataset<Row> windows = all.withColumn("__window", explode(array(labels.toArray(new Column[0]))))
        .where(col("__window").isNotNull());
    if (referenceInputs != null) {
      for (Map.Entry<String, FeatureInputs> e : referenceInputs.entrySet()) {
        windows = windows.unionByName(featureRows(e.getValue(), entity, currentDays)
            .withColumn("__segment", lit(e.getKey())).withColumn("__window", lit(DriftSuite.REFERENCE)));
      }
    }
    // Persisted: the three profiling passes read these rows, and computing them is most of the work.
    Dataset<Row> labelled = windows.persist(StorageLevel.MEMORY_AND_DISK());
    List<String> cohortSlices = new ArrayList<>();
    Dataset<Row> cohortRows = cohortRows(entity, d, labelled, inputs, referenceInputs, cohortSlices);
    Dataset<Row> profiled = cohortRows == null ? labelled : labelled.unionByName(cohortRows);

    List<String> numeric = new ArrayList<>();
    List<String> categorical = new ArrayList<>();
    for (String column : featureSet.features().outputColumns(entity)) {
      if (column.equals(entity.idColumn()) || column.equals(RollingFeatures.AS_OF_DATE)) {
        continue;
      }
      StructField field = all.schema().apply(column);
      if (field.dataType() instanceof NumericType || field.dataType() instanceof BooleanType) {
        numeric.add(column);
      } else if (field.dataType() instanceof StringType) {
        categorical.add(column);
      }
    }
    Map<String, double[]> storedForEntity = new HashMap<>();
    for (String segment : d.segments()) {
      for (String f : numeric) {
        double[] edges = stored.get(edgeKey(segment, entityName, f));
        if (edges != null) {
          storedForEntity.put(DriftSuite.key(segment, f), edges);
        }
      }
    }
    long t0 = System.nanoTime();
    DriftSuite.Profiles profiles;
    try {
      profiles = DriftSuite.profile(profiled, "__segment", "__window", DriftSuite.REFERENCE, numeric, categorical,
          storedForEntity);
    } finally {
      labelled.unpersist();
    }
    Map<String, List<FeatureDrift>> current = new LinkedHashMap<>();
    Map<String, Map<LocalDate, List<FeatureDrift>>> vsReference = new LinkedHashMap<>();
    Map<String, Map<LocalDate, List<FeatureDrift>>> vsPrevious = new LinkedHashMap<>();
    Map<String, Double> share = new LinkedHashMap<>();
    long totalCurrent = d.segments().stream().mapToLong(s -> profiles.rows(s, DriftSuite.CURRENT)).sum();
    for (String segment : d.segments()) {
      current.put(segment, profiles.compare(segment, DriftSuite.REFERENCE, DriftSuite.CURRENT, d::thresholdsOf));
      share.put(segment, totalCurrent == 0 ? 0.0 : (double) profiles.rows(segment, DriftSuite.CURRENT) / totalCurrent);
      Map<LocalDate, List<FeatureDrift>> ref = new LinkedHashMap<>();
      Map<LocalDate, List<FeatureDrift>> prev = new LinkedHashMap<>();
      for (int i = 0; i < series.size(); i++) {
        String day = series.get(i).toString();
        ref.put(series.get(i), profiles.compare(segment, DriftSuite.REFERENCE, day, d::thresholdsOf));
        if (i > 0) {
          prev.put(series.get(i), profiles.compare(segment, series.get(i - 1).toString(), day, d::thresholdsOf));
        }
      }
      vsReference.put(segment, ref);
      vsPrevious.put(segment, prev);
    }
    for (String segment : d.segments()) {
      progress.step("%s %s features: %d numeric, %d categorical; %,d reference rows, %,d current rows; %d alerts, "
              + "%d warnings", segment, entityName, numeric.size(), categorical.size(),
          profiles.rows(segment, DriftSuite.REFERENCE), profiles.rows(segment, DriftSuite.CURRENT),
          count(current.get(segment), DriftThresholds.Level.ALERT), count(current.get(segment), DriftThresholds.Level.WARN));
    }
    progress.step("%s features profiled in %.1fs", entityName, (System.nanoTime() - t0) / 1e9);
    Map<String, double[]> edges = new LinkedHashMap<>();
    for (String segment : d.segments()) {
      for (String f : numeric) {
        double[] e = profiles.edges().get(DriftSuite.key(segment, f));
        if (e != null) {
          edges.put(edgeKey(segment, entityName, f), e);
        }
      }
    }
    List<DriftResult.CohortDrift> cohorts = cohorts(entityName, profiles, d::thresholdsOf);
    if (!cohortSlices.isEmpty()) {
      progress.step("%s cohorts by %s: %d compared (at least %d rows on each side), %d with alerts", entityName,
          cohortSlices, cohorts.size(), MIN_COHORT_ROWS, cohorts.stream().filter(c -> c.alerts() > 0).count());
    }
    return new DriftResult.EntityDrift(entityName, current, share, vsReference, vsPrevious, edges, cohorts);
  }

  /** Separates a segment from a cohort in the profiled segment key: {@code segment␁slice=value}. */
  private static final String COHORT = "\u0001";
  /** A cohort is compared only with at least this many rows in both windows: fewer give noisy PSI. */
  static final long MIN_COHORT_ROWS = 100;

  /**
   * The reference and current rows again, once per cohort of the entity (users: country, device and new vs
   * returning as of the row's day; items: category), keyed segment␁slice=value; null without cohorts.
   */
  private Dataset<Row> cohortRows(Entity entity, DriftSection d, Dataset<Row> labelled, Map<String, FeatureInputs> inputs,
      Map<String, FeatureInputs> referenceInputs, List<String> slices) {
    List<FeatureInputs> all = new ArrayList<>(inputs.values());
    if (referenceInputs != null) {
      all.addAll(referenceInputs.values());
    }
    String id = entity.idColumn();
    Dataset<Row> table = null;
    for (FeatureInputs in : all) {
      Dataset<Row> t = in.entityTable(entity);
      table = table == null ? t : table.unionByName(t, true);
    }
    List<String> columns = java.util.Arrays.asList(table.columns());
    List<String> wanted = entity == Entity.USER ? d.cohorts() : (d.cohorts().isEmpty() ? List.of() : List.of("category"));
    List<Column> attributes = new ArrayList<>();
    attributes.add(col(id));
    for (String slice : wanted) {
      if (columns.contains(slice)) {
        slices.add(slice);
        attributes.add(col(slice).cast("string").as("__c_" + slice));
      }
    }
    Dataset<Row> attributeTable = table.select(attributes.toArray(new Column[0])).dropDuplicates(id);
    boolean newVsReturning = entity == Entity.USER && wanted.contains("new_vs_returning");
    if (newVsReturning) {
      slices.add("new_vs_returning");
      Dataset<Row> firstPurchase = null;
      for (FeatureInputs in : all) {
        Dataset<Row> f = in.events().where(col("event_type").equalTo("purchase")).groupBy("user_id")
            .agg(org.apache.spark.sql.functions.min("event_ts").as("__first_purchase"));
        firstPurchase = firstPurchase == null ? f : firstPurchase.unionByName(f);
      }
      attributeTable = attributeTable.join(firstPurchase.groupBy("user_id")
          .agg(org.apache.spark.sql.functions.min("__first_purchase").as("__first_purchase")), Columns.using(id), "left");
    }
    if (slices.isEmpty()) {
      return null;
    }
    List<Column> keys = new ArrayList<>();
    for (String slice : slices) {
      Column value = slice.equals("new_vs_returning")
          ? when(org.apache.spark.sql.functions.to_date(col("__first_purchase")).lt(col(RollingFeatures.AS_OF_DATE)),
              lit("returning")).otherwise(lit("new"))
          : org.apache.spark.sql.functions.coalesce(col("__c_" + slice), lit("unknown"));
      keys.add(org.apache.spark.sql.functions.concat(col("__segment"), lit(COHORT + slice + "="), value));
    }
    return labelled.where(col("__window").isin(DriftSuite.REFERENCE, DriftSuite.CURRENT))
        .join(attributeTable, Columns.using(id), "left")
        .withColumn("__segment", explode(array(keys.toArray(new Column[0]))))
        .select(java.util.Arrays.stream(labelled.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
  }

  private List<DriftResult.CohortDrift> cohorts(String entityName, DriftSuite.Profiles profiles,
      java.util.function.Function<String, DriftThresholds> thresholds) {
    List<DriftResult.CohortDrift> cohorts = new ArrayList<>();
    for (String key : profiles.segments()) {
      int at = key.indexOf(COHORT);
      if (at < 0) {
        continue;
      }
      String segment = key.substring(0, at);
      String[] slice = key.substring(at + 1).split("=", 2);
      long ref = profiles.rows(key, DriftSuite.REFERENCE);
      long cur = profiles.rows(key, DriftSuite.CURRENT);
      long segmentRows = profiles.rows(segment, DriftSuite.CURRENT);
      if (ref < MIN_COHORT_ROWS || cur < MIN_COHORT_ROWS) {
        continue;
      }
      List<FeatureDrift> drifts = profiles.compare(key, DriftSuite.REFERENCE, DriftSuite.CURRENT, thresholds).stream()
          .map(f -> f.as(segment, f.feature())).toList();
      cohorts.add(new DriftResult.CohortDrift(entityName, segment, slice[0], slice[1], ref, cur,
          segmentRows == 0 ? 0 : (double) cur / segmentRows, drifts));
    }
    return cohorts;
  }

  /** Separates a segment from a model role in the profiled key of prediction rows. */
  private static final String ROLE = "\u0002";

  /**
   * Prediction drift: the built-in models scored at the end of the reference window and at the end of the
   * current window (cutoff = the next day) for each segment's users; per list entry (rank ≤ the largest
   * evaluation k) the score, the item's share of the segment's interactions in the 30 days before that
   * cutoff, and the item's category. Features are named {@code <role>_<measure>}.
   */
  private DriftResult.EntityDrift predictions(DriftSection d, Map<String, FeatureInputs> inputs,
      Map<String, double[]> stored) {
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
    Dataset<Row> categories = java.util.Arrays.asList(items.columns()).contains("category")
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
          Row total = counts.agg(org.apache.spark.sql.functions.sum("count")).first();
          double n = total.isNullAt(0) ? 0 : total.getLong(0);
          Dataset<Row> popularity = counts.select(col("item_id"),
              n == 0 ? lit(0.0).as("item_popularity") : col("count").divide(n).as("item_popularity"));
          for (ModelSpec model : models) {
            Dataset<Row> part = lists.lists(model, e.getKey(), events, e.getValue().users(), k)
                .where(col("rank").leq(k))
                .join(popularity, Columns.using("item_id"), "left")
                .join(org.apache.spark.sql.functions.broadcast(categories), Columns.using("item_id"), "left")
                .select(lit(e.getKey() + ROLE + model.role()).as("__segment"), lit(window).as("__window"),
                    col("score").cast(DataTypes.DoubleType).as("score"),
                    org.apache.spark.sql.functions.coalesce(col("item_popularity"), lit(0.0)).as("item_popularity"),
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
          double[] edges = stored.get(edgeKey(segment, PREDICTION, model.role() + "_" + f));
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
            edges.put(edgeKey(segment, PREDICTION, role + "_" + f), e);
          }
        }
      }
      drifts.sort(Comparator.comparing(FeatureDrift::feature));
      current.put(segment, drifts);
      progress.step("%s predictions: %d alerts, %d warnings", segment, count(drifts, DriftThresholds.Level.ALERT),
          count(drifts, DriftThresholds.Level.WARN));
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

  /** The entity name of prediction drift. */
  public static final String PREDICTION = "prediction";
  /** Days of interactions behind a recommended item's popularity share. */
  static final int PREDICTION_POPULARITY_DAYS = 30;

  private static long count(List<FeatureDrift> drifts, DriftThresholds.Level level) {
    return drifts.stream().filter(f -> f.level() == level).count();
  }

  private String edgeKey(String segment, String entity, String feature) {
    return segment + "|" + entity + "|" + feature;
  }

  /** Edges stored by an earlier run for the same feature set, reference window and binning. */
  private Map<String, double[]> storedEdges() {
    Map<String, double[]> edges = new HashMap<>();
    String path = DriftTables.path(manifest.warehouse(), manifest.name(), DriftTables.EDGES);
    if (!store.exists(path)) {
      return edges;
    }
    DriftSection d = manifest.drift();
    Dataset<Row> table = store.read(store.pin(TableSource.delta("drift bin edges", path)));
    if (!java.util.Arrays.asList(table.columns()).contains("binning")) {
      return edges; // written before binnings were named: not comparable
    }
    Dataset<Row> rows = table.where(col("feature_set").equalTo(featureSet.id())
        .and(col("reference").equalTo(referenceLabel()))
        .and(col("binning").equalTo(DriftAssessment.BINNING)));
    for (Row r : rows.collectAsList()) {
      List<Double> e = r.getList(r.fieldIndex("edges"));
      edges.put(edgeKey(r.getAs("segment"), r.getAs("entity"), r.getAs("feature")),
          e.stream().mapToDouble(Double::doubleValue).toArray());
    }
    if (!edges.isEmpty()) {
      progress.step("reusing the bin edges of %d features stored by an earlier run (same feature set and reference)",
          edges.size());
    }
    return edges;
  }

  private long write(String table, List<Row> rows, StructType schema) {
    return store.overwrite(rows, schema, DriftTables.path(manifest.warehouse(), manifest.name(), table), runId).version();
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

  private List<Row> featureRows(List<DriftResult.EntityDrift> entities) {
    DriftSection d = manifest.drift();
    String reference = referenceLabel();
    String current = d.currentStart() + " … " + d.currentEnd();
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

  /** What the reference side is: the declared window, or an earlier run's snapshots at the current days. */
  private String referenceLabel() {
    DriftSection d = manifest.drift();
    return referenceRun == null ? d.referenceStart() + " … " + d.referenceEnd()
        : "snapshots of run " + referenceRun + " at " + d.currentStart() + " … " + d.currentEnd();
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

  private List<Row> cohortRows(List<DriftResult.EntityDrift> entities) {
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

  private List<Row> edgeRows(List<DriftResult.EntityDrift> entities, Map<String, double[]> stored) {
    DriftSection d = manifest.drift();
    String reference = referenceLabel();
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (Map.Entry<String, double[]> edge : e.edges().entrySet()) {
        String[] key = edge.getKey().split("\\|", 3);
        rows.add(RowFactory.create(key[1], key[0], key[2], featureSet.id(), reference, DriftAssessment.BINNING,
            java.util.Arrays.stream(edge.getValue()).boxed().toArray(Double[]::new), stored.containsKey(edge.getKey()),
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

  private List<Row> seriesRows(List<DriftResult.EntityDrift> entities) {
    List<Row> rows = new ArrayList<>();
    for (DriftResult.EntityDrift e : entities) {
      for (Map.Entry<String, Map<LocalDate, List<FeatureDrift>>> s : e.vsReference().entrySet()) {
        for (Map.Entry<LocalDate, List<FeatureDrift>> day : s.getValue().entrySet()) {
          List<FeatureDrift> previous = e.vsPrevious().get(s.getKey()).get(day.getKey());
          for (int i = 0; i < day.getValue().size(); i++) {
            FeatureDrift f = day.getValue().get(i);
            FeatureDrift p = previous == null ? null : previous.get(i);
            rows.add(RowFactory.create(e.entity(), f.segment(), f.feature(), java.sql.Date.valueOf(day.getKey()),
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

  private List<Row> diagnosisRows(List<DriftResult.SegmentDiagnosis> diagnoses) {
    return diagnoses.stream().map(g -> RowFactory.create(g.segment(), g.alerts(), g.warnings(), g.weightedPsi(),
        g.topFeatures().toArray(new String[0]),
        g.changeDays().stream().map(java.sql.Date::valueOf).toArray(java.sql.Date[]::new),
        g.retrainFrom() == null ? null : java.sql.Date.valueOf(g.retrainFrom()),
        g.retrainTo() == null ? null : java.sql.Date.valueOf(g.retrainTo()), g.retrainReason(), runId)).toList();
  }
}
