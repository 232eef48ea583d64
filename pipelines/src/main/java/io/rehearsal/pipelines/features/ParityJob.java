package io.rehearsal.pipelines.features;

import static org.apache.spark.sql.functions.col;

import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.LakeEvents;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.ParitySection;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import io.rehearsal.transforms.quality.ColumnProfile;
import io.rehearsal.transforms.quality.FeatureParity;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.quality.SchemaDrift;
import io.rehearsal.transforms.slicing.EntityClosure;
import io.rehearsal.transforms.slicing.SegmentPopulation;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Compares each featured segment's feature tables with a production baseline over the same as-of days:
 * per feature column the mean, p50, p90 and missing rate under the manifest's tolerances, plus the
 * table's schema against the declared feature set. Results are data (a Delta table and
 * {@link ParityResult}); the caller decides what a failure means (the CLI exits 3).
 *
 * <p>Baselines: {@code profile: lake} recomputes the same features from the full lake — for users, over
 * the segment's whole eligible population (the snapshot samples from it, so per-user statistics should
 * agree within sampling noise); for items, over every user's events, for the items in the testbed.
 * Or feature tables with {@code as_of_date} and the feature columns, e.g. a production feature store export.
 */
public final class ParityJob extends StepJob<ParityJob> {

  static final StructType RESULTS_SCHEMA = new StructType()
      .add("snapshot_id", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("entity", DataTypes.StringType, false)
      .add("column", DataTypes.StringType, false)
      .add("statistic", DataTypes.StringType, false)
      .add("testbed", DataTypes.DoubleType, true)
      .add("baseline", DataTypes.DoubleType, true)
      .add("tolerance", DataTypes.StringType, true)
      .add("allowed", DataTypes.DoubleType, true)
      .add("status", DataTypes.StringType, false)
      .add("message", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  private FeatureSet featureSet;

  public ParityJob featureSet(FeatureSet featureSet) {
    this.featureSet = featureSet;
    return this;
  }

  public ParityResult execute() {
    checkGiven("Cannot run parity");
    RehearsalException.check(featureSet != null, "Cannot run parity", "no feature set was given");
    if (!manifest.hasFeatures() || manifest.features().parity() == null) {
      throw RehearsalException.invalidInput("Cannot check feature parity of manifest " + manifest.file(),
          "the manifest has no 'features.parity' section",
          "add features.parity.baseline (profile: lake, or users/items feature tables); see docs/features.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-parity-" + runId, "parity " + manifest.name(),
        () -> run(started));
  }

  private ParityResult run(long started) {
    ParitySection parity = manifest.features().parity();
    LocalDate start = manifest.features().asOfStart();
    LocalDate end = manifest.features().asOfEnd();
    Baseline baseline = parity.profileLake() ? new LakeProfile() : new Tables(parity);
    progress.step("parity baseline: %s; as-of days %s … %s", baseline.describe(), start, end);
    List<ParityOutcome> outcomes = new ArrayList<>();
    try {
      for (String segmentName : manifest.features().segments()) {
        SegmentSpec segment = manifest.segment(segmentName);
        SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segmentName);
        FeatureInputs inputs = FeatureInputs.ofSnapshot(store, manifest.warehouse(), snapshot);
        for (Entity entity : Entity.values()) {
          if (!featureSet.features().specsOf(entity).isEmpty()) {
            outcomes.add(check(segment, snapshot, inputs, entity, baseline, start, end));
          }
        }
      }
    } finally {
      baseline.release();
    }
    String path = FeatureTables.parity(manifest.warehouse());
    String ids = outcomes.stream().map(o -> "'" + o.snapshotId() + "'").distinct().collect(Collectors.joining(", "));
    CommitInfo commit = store.write(spark.createDataFrame(resultRows(outcomes), RESULTS_SCHEMA), path,
        "snapshot_id IN (" + ids + ")", List.of(), runId);
    return new ParityResult(runId, baseline.describe(), outcomes, path, commit.version(),
        (System.nanoTime() - started) / 1e9);
  }

  private ParityOutcome check(SegmentSpec segment, SnapshotIndex.Entry snapshot, FeatureInputs inputs, Entity entity,
      Baseline baseline, LocalDate start, LocalDate end) {
    String path = FeatureTables.path(manifest.warehouse(), snapshot.snapshotId(), entity);
    if (!store.exists(path)) {
      throw RehearsalException.invalidInput("Cannot check parity of " + entity + " features of segment '"
          + segment.name() + "'", "there is no feature table at " + path,
          "run 'bin/rehearsal backfill <manifest>' with the same warehouse first");
    }
    Dataset<Row> table = store.read(store.pin(TableSource.delta(entity + " features", path)));
    StructType declared = inputs.featureRows(featureSet, entity, start, end, snapshot.snapshotId(),
        snapshot.eventsHash()).schema();
    List<SchemaDrift.Change> drift = SchemaDrift.between(declared, table.schema());
    Dataset<Row> testbed = inDays(table, start, end);

    ParitySection parity = manifest.features().parity();
    List<String> declaredFeatures = featureSet.features().outputColumns(entity).stream().skip(2).toList();
    List<String> declaredCompared = declaredFeatures.stream().filter(c -> !parity.excludes(c)).toList();
    List<String> tableColumns = Arrays.asList(table.columns());
    List<String> excluded = declaredFeatures.stream().filter(c -> tableColumns.contains(c) && parity.excludes(c))
        .toList();
    List<String> featureColumns = new ArrayList<>(declaredCompared.stream().filter(tableColumns::contains).toList());
    Dataset<Row> base = baseline.rows(segment, entity, testbed, start, end, declaredCompared);
    List<String> baseColumns = Arrays.asList(base.columns());
    List<String> notInBaseline = featureColumns.stream().filter(c -> !baseColumns.contains(c)).toList();
    featureColumns.removeAll(notInBaseline);

    double z = parity.noiseZ();
    // A profile reads its rows twice (distinct entities, then the statistics); a lake-profile baseline is a
    // whole feature computation, so keep both sides instead of computing them twice.
    Dataset<Row> testbedRowsKept = testbed.persist(StorageLevel.MEMORY_AND_DISK());
    Dataset<Row> baseRowsKept = base.persist(StorageLevel.MEMORY_AND_DISK());
    Map<String, ColumnProfile> testbedProfile;
    Map<String, ColumnProfile> baselineProfile;
    long testbedRows;
    long baselineRows;
    try {
      testbedProfile = FeatureParity.profile(testbedRowsKept, entity.idColumn(), featureColumns, z);
      baselineProfile = FeatureParity.profile(baseRowsKept, entity.idColumn(), featureColumns, z);
      testbedRows = featureColumns.isEmpty() ? testbedRowsKept.count()
          : testbedProfile.values().iterator().next().rows();
      baselineRows = featureColumns.isEmpty() ? baseRowsKept.count()
          : baselineProfile.values().iterator().next().rows();
    } finally {
      testbedRowsKept.unpersist();
      baseRowsKept.unpersist();
    }
    List<ParityCheck> checks = FeatureParity.compare(testbedProfile, baselineProfile, parity::toleranceOf, z);
    ParityOutcome outcome = new ParityOutcome(segment.name(), snapshot.snapshotId(), entity, testbedRows, baselineRows,
        checks, drift, notInBaseline, excluded);
    progress.step("%s %s features: %s — %d checks, %d failed, %d schema changes (%s testbed rows, %s baseline rows)",
        segment.name(), entity.name().toLowerCase(Locale.ROOT), CheckStatus.of(outcome.passed()).name(),
        checks.size(), outcome.failures().size(), drift.size(), Progress.count(testbedRows), Progress.count(baselineRows));
    return outcome;
  }

  private List<Row> resultRows(List<ParityOutcome> outcomes) {
    List<Row> rows = new ArrayList<>();
    for (ParityOutcome o : outcomes) {
      String entity = o.entity().name().toLowerCase(Locale.ROOT);
      for (SchemaDrift.Change change : o.schemaChanges()) {
        rows.add(RowFactory.create(o.snapshotId(), o.segment(), entity, change.column(), "schema", null, null, null,
            null, CheckStatus.FAIL.name(), "schema drift: " + change.describe(), runId));
      }
      for (ParityCheck c : o.checks()) {
        rows.add(RowFactory.create(o.snapshotId(), o.segment(), entity, c.column(), c.statistic().label(), c.testbed(),
            c.baseline(), c.tolerance().toString(), c.baseline() == null ? null : c.allowed(),
            c.status().name(), c.message(), runId));
      }
    }
    return rows;
  }

  private static Dataset<Row> inDays(Dataset<Row> rows, LocalDate start, LocalDate end) {
    return rows.where(col(RollingFeatures.AS_OF_DATE).between(Date.valueOf(start), Date.valueOf(end)));
  }

  /** Where the baseline rows of one segment and entity come from. */
  private interface Baseline {
    String describe();

    /**
     * The baseline's rows; a computed baseline need hold only the id, as_of_date and {@code compared}: the declared
     * feature columns the manifest does not exclude (the same for every segment).
     */
    Dataset<Row> rows(SegmentSpec segment, Entity entity, Dataset<Row> testbed, LocalDate start, LocalDate end,
        List<String> compared);

    default void release() {}
  }

  /** The same features recomputed from the full lake at its pinned versions. */
  private final class LakeProfile implements Baseline {
    private final Dataset<Row> events;
    private final Dataset<Row> users;
    private final Dataset<Row> items;
    private final String versions;
    private Dataset<Row> allItems;

    LakeProfile() {
      TableSource pinnedEvents = store.pin(manifest.input("events"));
      TableSource pinnedUsers = store.pin(manifest.input("users"));
      TableSource pinnedItems = store.pin(manifest.input("items"));
      // The events the snapshot kept, of the whole lake: a copy of an event counts once here too.
      this.events = LakeEvents.usable(store, pinnedEvents).persist(StorageLevel.MEMORY_AND_DISK());
      this.users = store.read(pinnedUsers);
      this.items = store.read(pinnedItems);
      this.versions = "events v" + pinnedEvents.version() + ", users v" + pinnedUsers.version() + ", items v"
          + pinnedItems.version();
    }

    @Override
    public String describe() {
      return "profile of the full lake " + manifest.lake() + " (" + versions + ")";
    }

    @Override
    public Dataset<Row> rows(SegmentSpec segment, Entity entity, Dataset<Row> testbed, LocalDate start, LocalDate end,
        List<String> compared) {
      if (entity == Entity.USER) {
        Dataset<Row> population = SegmentPopulation.eligible(events, users, segment);
        Dataset<Row> populationEvents = EntityClosure.events(events, population, segment.windowStart(),
            segment.windowEnd());
        return onlyCompared(FeatureInputs.of(populationEvents, users, items)
            .featureRows(featureSet, entity, start, end, "baseline", "baseline"), entity, compared);
      }
      if (allItems == null) {
        // Every segment compares with the same lake-wide item rows: computed once, kept for the next one. The
        // columns compared are the same for every segment (one exclusion list); only they are computed.
        allItems = onlyCompared(FeatureInputs.of(events, users, items)
            .featureRows(featureSet, entity, start, end, "baseline", "baseline"), entity, compared)
            .persist(StorageLevel.MEMORY_AND_DISK());
      }
      Dataset<Row> all = allItems;
      if (manifest.privacy().pseudonymize().contains("item_id")) {
        return all; // testbed item ids are pseudonyms: compare with every item instead
      }
      return all.join(testbed.select("item_id").distinct(), Columns.using("item_id"), "left_semi");
    }

    /** Spark then computes no excluded feature (an unread window or aggregate is pruned from the plan). */
    private Dataset<Row> onlyCompared(Dataset<Row> rows, Entity entity, List<String> compared) {
      List<String> kept = new ArrayList<>(List.of(entity.idColumn(), RollingFeatures.AS_OF_DATE));
      kept.addAll(compared);
      return rows.select(kept.stream().map(c -> col("`" + c + "`")).toArray(Column[]::new));
    }

    @Override
    public void release() {
      events.unpersist();
      if (allItems != null) {
        allItems.unpersist();
      }
    }
  }

  /** Feature tables declared in the manifest (e.g. exported from the production feature store). */
  private final class Tables implements Baseline {
    private final ParitySection parity;

    Tables(ParitySection parity) {
      this.parity = parity;
    }

    @Override
    public String describe() {
      List<String> parts = new ArrayList<>();
      if (parity.users() != null) {
        parts.add("users " + parity.users().path());
      }
      if (parity.items() != null) {
        parts.add("items " + parity.items().path());
      }
      return "feature tables " + String.join(", ", parts);
    }

    @Override
    public Dataset<Row> rows(SegmentSpec segment, Entity entity, Dataset<Row> testbed, LocalDate start, LocalDate end,
        List<String> compared) {
      TableSource source = entity == Entity.USER ? parity.users() : parity.items();
      if (source == null) {
        return testbed.select(entity.idColumn(), RollingFeatures.AS_OF_DATE).limit(0); // nothing to compare with
      }
      Dataset<Row> rows = store.read(store.pin(source));
      if (!Arrays.asList(rows.columns()).contains(RollingFeatures.AS_OF_DATE)) {
        throw RehearsalException.invalidInput("Cannot use " + source.name() + " as a parity baseline",
            "the table at " + source.path() + " has no column '" + RollingFeatures.AS_OF_DATE + "', got "
                + Arrays.toString(rows.columns()),
            "point features.parity.baseline." + (entity == Entity.USER ? "users" : "items")
                + " at a daily feature table");
      }
      return inDays(rows, start, end);
    }
  }
}
