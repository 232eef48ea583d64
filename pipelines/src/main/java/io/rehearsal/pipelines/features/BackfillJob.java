package io.rehearsal.pipelines.features;

import static org.apache.spark.sql.functions.col;

import io.rehearsal.pipelines.features.EntityBackfill.Mode;
import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeaturesSection;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import io.rehearsal.transforms.quality.SchemaDrift;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Replays each featured segment's snapshot in event time and writes its daily as-of feature tables
 * (see {@link FeatureTables}). Idempotent: a re-run replaces the days it computes. Incremental: days
 * already computed with the same feature set from the same snapshot content are kept, and only the
 * missing ones are computed — unless {@link #full} asks for the whole window, or the feature set,
 * the snapshot content or the table's schema changed, which recompute the whole window and overwrite
 * the table (days outside the window would otherwise mix feature sets).
 */
public final class BackfillJob extends StepJob<BackfillJob> {

  private FeatureSet featureSet;
  private boolean full;

  public BackfillJob featureSet(FeatureSet featureSet) {
    this.featureSet = featureSet;
    return this;
  }

  /** Recompute every requested day even if it is already up to date. */
  public BackfillJob full(boolean full) {
    this.full = full;
    return this;
  }

  public BackfillResult execute() {
    checkGiven("Cannot run backfill");
    RehearsalException.check(featureSet != null, "Cannot run backfill", "no feature set was given");
    if (!manifest.hasFeatures()) {
      throw RehearsalException.invalidInput("Cannot backfill features of manifest " + manifest.file(),
          "the manifest has no 'features' section",
          "add features.as_of (start, end) to the manifest; see docs/features.md");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-backfill-" + runId, "backfill " + manifest.name(),
        () -> run(started));
  }

  private BackfillResult run(long started) {
    FeaturesSection section = manifest.features();
    List<EntityBackfill> tables = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    progress.step("feature set %s (%s): %d features; as-of days %s … %s (%d days)", featureSet.source(),
        featureSet.id(), featureSet.specs().size(), section.asOfStart(), section.asOfEnd(), section.days());
    for (String segmentName : section.segments()) {
      SegmentSpec segment = manifest.segment(segmentName);
      SnapshotIndex.Entry snapshot = SnapshotIndex.latest(store, manifest.warehouse(), manifest.name(), segmentName);
      FeatureInputs inputs = FeatureInputs.ofSnapshot(store, manifest.warehouse(), snapshot).persisted();
      truncation(segment).ifPresent(w -> {
        warnings.add(w);
        progress.step("warning: %s", w);
      });
      try {
        for (Entity entity : Entity.values()) {
          if (!featureSet.features().specsOf(entity).isEmpty()) {
            tables.add(backfill(segmentName, snapshot, inputs, entity, section));
          }
        }
      } finally {
        inputs.release();
      }
    }
    return new BackfillResult(runId, featureSet.id(), featureSet.source(), section.asOfStart(), section.asOfEnd(),
        tables, warnings, (System.nanoTime() - started) / 1e9);
  }

  private Optional<String> truncation(SegmentSpec segment) {
    int longest = featureSet.specs().stream().flatMap(s -> s.windows().stream()).mapToInt(Integer::intValue).max()
        .orElse(0);
    LocalDate firstComplete = segment.windowStart().plusDays(longest);
    LocalDate start = manifest.features().asOfStart();
    if (!start.isBefore(firstComplete)) {
      return Optional.empty();
    }
    LocalDate lastTruncated = firstComplete.minusDays(1).isAfter(manifest.features().asOfEnd())
        ? manifest.features().asOfEnd() : firstComplete.minusDays(1);
    return Optional.of("segment '" + segment.name() + "': as-of days " + start + " … " + lastTruncated
        + " see a truncated history, because their " + longest + "-day window reaches before the snapshot window "
        + "start " + segment.windowStart() + "; start features.as_of on or after " + firstComplete
        + ", or widen the segment window");
  }

  private EntityBackfill backfill(String segment, SnapshotIndex.Entry snapshot, FeatureInputs inputs, Entity entity,
      FeaturesSection section) {
    String path = FeatureTables.path(manifest.warehouse(), snapshot.snapshotId(), entity);
    LocalDate start = section.asOfStart();
    LocalDate end = section.asOfEnd();
    Dataset<Row> fresh = inputs.featureRows(featureSet, entity, start, end, snapshot.snapshotId(), snapshot.eventsHash());

    Mode mode = Mode.FULL;
    String reason;
    LocalDate from = start;
    LocalDate to = end;
    long kept = 0;
    if (!store.exists(path)) {
      reason = "no feature table yet";
    } else if (full) {
      reason = "--full: recomputing every requested day";
    } else {
      Dataset<Row> existing = store.read(store.pin(TableSource.delta(entity + " features", path)));
      List<SchemaDrift.Change> drift = SchemaDrift.between(fresh.schema(), existing.schema());
      // One scan of the existing table: which feature sets and snapshot contents computed which days (a
      // few rows per day, so collecting them is cheap).
      List<Row> computed = drift.isEmpty() ? existing.select(FeatureTables.FEATURE_SET, FeatureTables.SNAPSHOT_HASH,
          RollingFeatures.AS_OF_DATE).distinct().collectAsList() : List.of();
      if (!drift.isEmpty()) {
        reason = "the table's schema differs from the feature set (" + drift.get(0).describe()
            + (drift.size() > 1 ? ", and " + (drift.size() - 1) + " more" : "") + "): recomputing";
      } else if (computed.stream().anyMatch(r -> !featureSet.id().equals(r.getString(0)))) {
        reason = "the feature set changed since the last backfill (now " + featureSet.id() + "): recomputing";
      } else if (computed.stream().anyMatch(r -> !snapshot.eventsHash().equals(r.getString(1)))) {
        reason = "the snapshot's content changed since the last backfill: recomputing";
      } else {
        TreeSet<LocalDate> present = new TreeSet<>();
        computed.stream().map(r -> r.getDate(2).toLocalDate()).filter(d -> !d.isBefore(start) && !d.isAfter(end))
            .forEach(present::add);
        LocalDate firstMissing = null;
        LocalDate lastMissing = null;
        for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
          if (!present.contains(d)) {
            firstMissing = firstMissing == null ? d : firstMissing;
            lastMissing = d;
          }
        }
        kept = present.size();
        if (firstMissing == null) {
          mode = Mode.UP_TO_DATE;
          reason = "all " + present.size() + " requested days are already computed with this feature set from this "
              + "snapshot (--full recomputes them)";
          from = null;
          to = null;
        } else {
          mode = Mode.INCREMENTAL;
          from = firstMissing;
          to = lastMissing;
          LocalDate gapStart = firstMissing;
          LocalDate gapEnd = lastMissing;
          kept = present.stream().filter(d -> d.isBefore(gapStart) || d.isAfter(gapEnd)).count();
          reason = "kept " + kept + " computed days, computing " + (to.toEpochDay() - from.toEpochDay() + 1)
              + " (" + from + " … " + to + ")";
        }
      }
    }
    if (mode == Mode.FULL) {
      kept = 0;
    }
    long version;
    if (mode == Mode.UP_TO_DATE) {
      version = store.pin(TableSource.delta(entity + " features", path)).version();
    } else {
      Dataset<Row> rows = mode == Mode.FULL ? fresh
          : inputs.featureRows(featureSet, entity, from, to, snapshot.snapshotId(), snapshot.eventsHash());
      String replaceWhere = mode == Mode.FULL ? null
          : RollingFeatures.AS_OF_DATE + " >= '" + from + "' AND " + RollingFeatures.AS_OF_DATE + " <= '" + to + "'";
      CommitInfo commit = store.write(rows, path, replaceWhere, List.of(), runId);
      version = commit.version();
    }
    long rows = store.read(TableSource.delta(entity + " features", path).atVersion(version))
        .where(col(RollingFeatures.AS_OF_DATE).between(Date.valueOf(start), Date.valueOf(end)))
        .count();
    progress.step("%s %s features (%s): %s, %s; %s rows in %s … %s, Delta v%d", segment,
        entity.name().toLowerCase(Locale.ROOT), snapshot.snapshotId(), mode, reason, Progress.count(rows),
        start, end, version);
    return new EntityBackfill(segment, snapshot.snapshotId(), entity, mode, reason, from, to, kept, rows, path, version);
  }

}
