package io.rehearsal.pipelines.snapshot;

import static org.apache.spark.sql.functions.col;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The snapshot index ({@code <warehouse>/snapshots/index}): one row per snapshot, written by the
 * snapshot job in the same run as the snapshot tables. Later steps find a segment's current snapshot
 * here: the one written last (highest events-table version) for the manifest name and segment.
 */
public final class SnapshotIndex {

  static final StructType SCHEMA = new StructType()
      .add("snapshot_id", DataTypes.StringType, false)
      .add("manifest", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("window_start", DataTypes.DateType, false)
      .add("window_end", DataTypes.DateType, false)
      .add("users", DataTypes.LongType, false)
      .add("events", DataTypes.LongType, false)
      .add("items", DataTypes.LongType, false)
      .add("events_hash", DataTypes.StringType, false)
      .add("users_hash", DataTypes.StringType, false)
      .add("items_hash", DataTypes.StringType, false)
      .add("events_version", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false);

  /** A snapshot as the index records it. */
  public record Entry(String snapshotId, String segment, long users, long events, String eventsHash,
      long eventsVersion, String runId) {}

  private SnapshotIndex() {}

  public static Entry latest(TableStore store, String warehouse, String manifest, String segment) {
    String path = SnapshotTables.path(warehouse, SnapshotTables.INDEX);
    String fix = "run 'bin/rehearsal snapshot <manifest>' with the same warehouse first";
    if (!store.exists(path)) {
      throw RehearsalException.invalidInput("Cannot find the snapshot of segment '" + segment + "'",
          "there is no snapshot index at " + path, fix);
    }
    Dataset<Row> index = store.read(store.pin(TableSource.delta("snapshot index", path)));
    List<Row> rows = index.where(col("manifest").equalTo(manifest).and(col("segment").equalTo(segment)))
        .orderBy(col("events_version").desc(), col("snapshot_id")).limit(1).collectAsList();
    if (rows.isEmpty()) {
      throw RehearsalException.invalidInput("Cannot find the snapshot of segment '" + segment + "'",
          "the snapshot index at " + path + " has no snapshot of manifest '" + manifest + "' and segment '" + segment
              + "'", fix);
    }
    return entry(rows.get(0), segment);
  }

  /** The snapshot of a segment written by an earlier snapshot run, for comparisons with the current one. */
  public static Entry ofRun(TableStore store, String warehouse, String manifest, String segment, String runId) {
    String path = SnapshotTables.path(warehouse, SnapshotTables.INDEX);
    Dataset<Row> index = store.read(store.pin(TableSource.delta("snapshot index", path)))
        .where(col("manifest").equalTo(manifest).and(col("segment").equalTo(segment)));
    List<Row> rows = index.where(col("run_id").equalTo(runId)).collectAsList();
    if (rows.isEmpty()) {
      List<String> runs = index.orderBy(col("events_version").desc()).select("run_id").collectAsList().stream()
          .map(r -> r.getString(0)).distinct().toList();
      throw RehearsalException.invalidInput("Cannot find the reference snapshot of segment '" + segment + "'",
          "the snapshot index at " + path + " has no snapshot of manifest '" + manifest + "' and segment '" + segment
              + "' written by run '" + runId + "' (runs with one, newest first: " + runs + ")",
          "pass one of those run ids; a run whose snapshot was written again by a later run with the same inputs is "
              + "listed under the later run");
    }
    return entry(rows.get(0), segment);
  }

  private static Entry entry(Row r, String segment) {
    return new Entry(r.getAs("snapshot_id"), segment, r.<Long>getAs("users"), r.<Long>getAs("events"),
        r.getAs("events_hash"), r.<Long>getAs("events_version"), r.getAs("run_id"));
  }
}
