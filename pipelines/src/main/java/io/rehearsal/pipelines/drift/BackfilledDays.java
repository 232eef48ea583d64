package io.rehearsal.pipelines.drift;

import static org.apache.spark.sql.functions.col;

import io.rehearsal.pipelines.features.FeatureTables;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import java.sql.Date;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The rows of a snapshot's feature table (written by backfill) that a drift computation can read instead of
 * computing them again: the as-of days it holds for the same feature set and the same snapshot content, with the
 * columns the computation would give, of the same types. The rows are the same either way (one feature engine;
 * backfill's incremental and full computations give equal rows, BackfillAndParityTest), so what drift measures does
 * not depend on which days were backfilled, only its speed does (its approximate quantiles stay within their
 * stated rank error whichever order the rows arrive in).
 */
final class BackfilledDays {

  private final Dataset<Row> rows;
  private final TreeSet<LocalDate> days;

  private BackfilledDays(Dataset<Row> rows, TreeSet<LocalDate> days) {
    this.rows = rows;
    this.days = days;
  }

  /**
   * What the snapshot's feature table holds of {@code wanted} days for this feature set, shaped like
   * {@code computed} (the rows the feature engine would give; only its schema is used); none when there is no table,
   * or its columns differ from the computation's (a table changed by hand: computing is the safe side).
   */
  static BackfilledDays of(TableStore store, String warehouse, SnapshotIndex.Entry snapshot, Entity entity,
      String featureSetId, StructType computed, TreeSet<LocalDate> wanted) {
    String path = FeatureTables.path(warehouse, snapshot.snapshotId(), entity);
    if (!store.exists(path)) {
      return new BackfilledDays(null, new TreeSet<>());
    }
    Dataset<Row> table = store.read(store.pin(TableSource.delta(entity + " features", path)));
    List<String> columns = Arrays.asList(table.columns());
    for (StructField field : computed.fields()) {
      if (!columns.contains(field.name())
          || !table.schema().apply(field.name()).dataType().equals(field.dataType())) {
        return new BackfilledDays(null, new TreeSet<>());
      }
    }
    Object[] wantedDates = wanted.stream().map(Date::valueOf).toArray();
    Dataset<Row> ours = table.where(col(FeatureTables.FEATURE_SET).equalTo(featureSetId)
        .and(col(FeatureTables.SNAPSHOT_HASH).equalTo(snapshot.eventsHash()))
        .and(col(RollingFeatures.AS_OF_DATE).isin(wantedDates)));
    TreeSet<LocalDate> held = new TreeSet<>();
    for (Date d : ours.select(RollingFeatures.AS_OF_DATE).distinct().as(Encoders.DATE()).collectAsList()) {
      held.add(d.toLocalDate());
    }
    Column[] shaped = Arrays.stream(computed.fieldNames()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    return new BackfilledDays(ours.select(shaped), held);
  }

  /** The as-of days read from the table. */
  TreeSet<LocalDate> days() {
    return days;
  }

  /** Their rows, with the computation's columns in its order; null when no day is held. */
  Dataset<Row> rows() {
    return days.isEmpty() ? null : rows;
  }
}
