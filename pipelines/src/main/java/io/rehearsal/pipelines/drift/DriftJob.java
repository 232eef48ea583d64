package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.drift.DriftAssessment;
import io.rehearsal.transforms.drift.DriftCohorts;
import io.rehearsal.transforms.drift.DriftSuite;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.DriftWindows;
import io.rehearsal.transforms.drift.FeatureDrift;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The drift suite (docs/drift.md): the manifest's feature set is computed from each segment's snapshot at
 * the as-of days of the reference window, the current window and the time series (the same code as
 * backfill, so drift never depends on which days were backfilled; days the snapshot's feature table holds are read
 * from it, {@link BackfilledDays}); then, per entity, every segment ×
 * window × feature is profiled in three Spark passes and compared. Results, bin edges, the series and the
 * per-segment diagnostics go to Delta ({@link DriftTables}); levels are data and the caller decides (the
 * CLI exits 3 on an alert).
 */
public final class DriftJob extends StepJob<DriftJob> {

  private FeatureSet featureSet;
  private String referenceRun;
  /** This run's snapshot of each segment of the drift suite (set when the run starts). */
  private Map<String, SnapshotIndex.Entry> snapshots;

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
    snapshots = new LinkedHashMap<>();
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
    DriftWindows windows = new DriftWindows(d.referenceStart(), d.referenceEnd(), d.currentStart(), d.currentEnd(),
        series);
    if (referenceRun != null) {
      windows = windows.withoutReference();
    }
    Map<String, double[]> stored = storedEdges();
    List<DriftResult.EntityDrift> entities = new ArrayList<>();
    try {
      for (Entity entity : d.entities()) {
        if (featureSet.features().specsOf(entity).isEmpty()) {
          continue;
        }
        entities.add(entity(entity, d, windows, inputs, referenceInputs, stored));
      }
      if (d.predictions() && manifest.hasEvaluation()) {
        if (referenceRun != null) {
          progress.step("prediction drift skipped: it compares lists scored at the end of the reference and current "
              + "windows, and a reference run has no reference window");
        } else {
          DriftResult.EntityDrift predictions = new PredictionDrift(spark, store, manifest, progress)
              .profile(inputs, stored);
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
    String reference = referenceLabel();
    String current = d.currentStart() + " … " + d.currentEnd();
    versions.put(DriftTables.FEATURES, write(DriftTables.FEATURES,
        DriftTables.featureRows(entities, reference, current, runId), DriftTables.FEATURES_SCHEMA));
    versions.put(DriftTables.EDGES, write(DriftTables.EDGES,
        DriftTables.edgeRows(entities, stored, featureSet.id(), reference, runId), DriftTables.EDGES_SCHEMA));
    versions.put(DriftTables.SERIES, write(DriftTables.SERIES, DriftTables.seriesRows(entities, runId),
        DriftTables.SERIES_SCHEMA));
    versions.put(DriftTables.COHORTS, write(DriftTables.COHORTS, DriftTables.cohortRows(entities, runId),
        DriftTables.COHORTS_SCHEMA));
    List<DriftResult.SegmentDiagnosis> diagnoses = DriftDiagnostics.diagnose(entities, series);
    versions.put(DriftTables.DIAGNOSTICS, write(DriftTables.DIAGNOSTICS, DriftTables.diagnosisRows(diagnoses, runId),
        DriftTables.DIAGNOSTICS_SCHEMA));
    return new DriftResult(runId, featureSet.id(), d, referenceLabel(), entities, diagnoses, versions,
        DriftTables.path(manifest.warehouse(), manifest.name(), ""), (System.nanoTime() - started) / 1e9);
  }

  /** Feature rows of one snapshot's entity at the given as-of days, in one computation. */
  private Dataset<Row> featureRows(FeatureInputs in, Entity entity, TreeSet<LocalDate> days) {
    return featureSet.features().compute(in.events(), in.entityTable(entity), entity, days);
  }

  /**
   * The same rows for this run's snapshot of a segment: the days its feature table already holds (backfill wrote them
   * for this feature set and snapshot) are read, only the others computed.
   */
  private Dataset<Row> featureRows(String segment, FeatureInputs in, Entity entity, TreeSet<LocalDate> days) {
    Dataset<Row> computed = featureRows(in, entity, days);
    BackfilledDays held = BackfilledDays.of(store, manifest.warehouse(), snapshots.get(segment), entity,
        featureSet.id(), computed.schema(), days);
    if (held.days().isEmpty()) {
      return computed;
    }
    TreeSet<LocalDate> missing = new TreeSet<>(days);
    missing.removeAll(held.days());
    progress.step("%s %s features: %d of %d as-of days read from the backfilled feature table", segment,
        entity.name().toLowerCase(Locale.ROOT), held.days().size(), days.size());
    return missing.isEmpty() ? held.rows() : held.rows().unionByName(featureRows(in, entity, missing));
  }

  private DriftResult.EntityDrift entity(Entity entity, DriftSection d, DriftWindows windows,
      Map<String, FeatureInputs> inputs, Map<String, FeatureInputs> referenceInputs, Map<String, double[]> stored) {
    String entityName = entity.name().toLowerCase(Locale.ROOT);
    List<LocalDate> series = windows.series();
    TreeSet<LocalDate> days = windows.allDays();
    Dataset<Row> all = null;
    for (Map.Entry<String, FeatureInputs> e : inputs.entrySet()) {
      Dataset<Row> rows = featureRows(e.getKey(), e.getValue(), entity, days).withColumn("__segment", lit(e.getKey()));
      all = all == null ? rows : all.unionByName(rows);
    }
    Dataset<Row> labelledRows = windows.label(all, "__window");
    if (referenceInputs != null) {
      for (Map.Entry<String, FeatureInputs> e : referenceInputs.entrySet()) {
        labelledRows = labelledRows.unionByName(featureRows(e.getValue(), entity, windows.currentDays())
            .withColumn("__segment", lit(e.getKey())).withColumn("__window", lit(DriftSuite.REFERENCE)));
      }
    }
    // Persisted: the three profiling passes read these rows, and computing them is most of the work.
    Dataset<Row> labelled = labelledRows.persist(StorageLevel.MEMORY_AND_DISK());
    DriftCohorts.Rows cohortRows = cohortRows(entity, d, labelled, inputs, referenceInputs);
    List<String> cohortSlices = cohortRows.slices();
    Dataset<Row> profiled = cohortRows.isEmpty() ? labelled : labelled.unionByName(cohortRows.rows());

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
        double[] edges = stored.get(DriftTables.edgeKey(segment, entityName, f));
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
          edges.put(DriftTables.edgeKey(segment, entityName, f), e);
        }
      }
    }
    List<DriftResult.CohortDrift> cohorts = cohorts(entityName, profiles, d::thresholdsOf);
    if (!cohortSlices.isEmpty()) {
      progress.step("%s cohorts by %s: %d compared (at least %d rows on each side), %d with alerts", entityName,
          cohortSlices, cohorts.size(), DriftCohorts.MIN_ROWS, cohorts.stream().filter(c -> c.alerts() > 0).count());
    }
    return new DriftResult.EntityDrift(entityName, current, share, vsReference, vsPrevious, edges, cohorts);
  }

  /**
   * The reference and current rows again, once per cohort of the entity (users: the manifest's cohort columns and
   * new vs returning as of the row's day; items: category); see {@link DriftCohorts}.
   */
  private DriftCohorts.Rows cohortRows(Entity entity, DriftSection d, Dataset<Row> labelled,
      Map<String, FeatureInputs> inputs, Map<String, FeatureInputs> referenceInputs) {
    List<FeatureInputs> all = new ArrayList<>(inputs.values());
    if (referenceInputs != null) {
      all.addAll(referenceInputs.values());
    }
    List<String> wanted = entity == Entity.USER ? d.cohorts() : (d.cohorts().isEmpty() ? List.of() : List.of("category"));
    return DriftCohorts.of(labelled, entity.idColumn(), "__segment", "__window", wanted,
        all.stream().map(in -> in.entityTable(entity)).toList(),
        entity == Entity.USER ? all.stream().map(FeatureInputs::events).toList() : null);
  }

  private List<DriftResult.CohortDrift> cohorts(String entityName, DriftSuite.Profiles profiles,
      Function<String, DriftThresholds> thresholds) {
    List<DriftResult.CohortDrift> cohorts = new ArrayList<>();
    for (String key : profiles.segments()) {
      DriftCohorts.Key cohort = DriftCohorts.Key.parse(key);
      if (cohort == null) {
        continue;
      }
      String segment = cohort.segment();
      long ref = profiles.rows(key, DriftSuite.REFERENCE);
      long cur = profiles.rows(key, DriftSuite.CURRENT);
      long segmentRows = profiles.rows(segment, DriftSuite.CURRENT);
      if (ref < DriftCohorts.MIN_ROWS || cur < DriftCohorts.MIN_ROWS) {
        continue;
      }
      List<FeatureDrift> drifts = profiles.compare(key, DriftSuite.REFERENCE, DriftSuite.CURRENT, thresholds).stream()
          .map(f -> f.as(segment, f.feature())).toList();
      cohorts.add(new DriftResult.CohortDrift(entityName, segment, cohort.slice(), cohort.value(), ref, cur,
          segmentRows == 0 ? 0 : (double) cur / segmentRows, drifts));
    }
    return cohorts;
  }

  static long count(List<FeatureDrift> drifts, DriftThresholds.Level level) {
    return drifts.stream().filter(f -> f.level() == level).count();
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
    if (!Arrays.asList(table.columns()).contains("binning")) {
      return edges; // written before binnings were named: not comparable
    }
    Dataset<Row> rows = table.where(col("feature_set").equalTo(featureSet.id())
        .and(col("reference").equalTo(referenceLabel()))
        .and(col("binning").equalTo(DriftAssessment.BINNING)));
    for (Row r : rows.collectAsList()) {
      List<Double> e = r.getList(r.fieldIndex("edges"));
      edges.put(DriftTables.edgeKey(r.getAs("segment"), r.getAs("entity"), r.getAs("feature")),
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

  /** What the reference side is: the declared window, or an earlier run's snapshots at the current days. */
  private String referenceLabel() {
    DriftSection d = manifest.drift();
    return referenceRun == null ? d.referenceStart() + " … " + d.referenceEnd()
        : "snapshots of run " + referenceRun + " at " + d.currentStart() + " … " + d.currentEnd();
  }
}
