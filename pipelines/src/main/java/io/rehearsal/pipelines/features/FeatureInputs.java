package io.rehearsal.pipelines.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.snapshot.SnapshotIndex;
import io.rehearsal.pipelines.snapshot.SnapshotTables;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The inputs of a feature computation — events (with the item's catalog row as the struct column
 * {@code item}), users and items — and the feature table rows computed from them. Used for a snapshot
 * (backfill, parity's testbed side) and for the full lake (parity's production profile).
 */
public final class FeatureInputs {

  public static final String ITEM_STRUCT = "item";

  private final Dataset<Row> events;
  private final Dataset<Row> users;
  private final Dataset<Row> items;

  private FeatureInputs(Dataset<Row> enrichedEvents, Dataset<Row> users, Dataset<Row> items) {
    this.events = enrichedEvents;
    this.users = users;
    this.items = items;
  }

  /** Inputs from canonical events, users and items; the events get the {@code item} struct. */
  public static FeatureInputs of(Dataset<Row> events, Dataset<Row> users, Dataset<Row> items) {
    return new FeatureInputs(withItem(events, items), users, items);
  }

  /** The same inputs with the enriched events persisted (they are read several times); see {@link #release}. */
  public FeatureInputs persisted() {
    return new FeatureInputs(events.persist(StorageLevel.MEMORY_AND_DISK()), users, items);
  }

  public void release() {
    events.unpersist();
  }

  /**
   * One snapshot's tables, tag columns dropped: the events at the version the index recorded (so they are
   * exactly the rows its content hash describes), users and items at their latest versions.
   */
  public static FeatureInputs ofSnapshot(TableStore store, String warehouse, SnapshotIndex.Entry snapshot) {
    return of(snapshotTable(store, warehouse, snapshot, SnapshotTables.EVENTS),
        snapshotTable(store, warehouse, snapshot, SnapshotTables.USERS),
        snapshotTable(store, warehouse, snapshot, SnapshotTables.ITEMS));
  }

  /** One table of a snapshot, tag columns dropped: events at the version the index recorded, others latest. */
  public static Dataset<Row> snapshotTable(TableStore store, String warehouse, SnapshotIndex.Entry snapshot,
      String table) {
    TableSource source = SnapshotTables.EVENTS.equals(table)
        ? store.pin(TableSource.delta("snapshot events", SnapshotTables.path(warehouse, SnapshotTables.EVENTS))
            .atVersion(snapshot.eventsVersion()))
        : latest(store, warehouse, table);
    return read(store, source, snapshot);
  }

  private static TableSource latest(TableStore store, String warehouse, String table) {
    return store.pin(TableSource.delta("snapshot " + table, SnapshotTables.path(warehouse, table)));
  }

  private static Dataset<Row> read(TableStore store, TableSource source, SnapshotIndex.Entry snapshot) {
    return store.read(source).where(col("snapshot_id").equalTo(snapshot.snapshotId())).drop("snapshot_id", "segment");
  }

  public Dataset<Row> events() {
    return events;
  }

  public Dataset<Row> users() {
    return users;
  }

  public Dataset<Row> items() {
    return items;
  }

  public Dataset<Row> entityTable(Entity entity) {
    return entity == Entity.USER ? users : items;
  }

  /**
   * Feature rows for the as-of days [start, end]: the computed columns (id, as_of_date, features), then
   * the metadata columns of {@link FeatureTables#METADATA}. Lazy: asking for the schema runs nothing.
   */
  public Dataset<Row> featureRows(FeatureSet set, Entity entity, LocalDate start, LocalDate end, String snapshotId,
      String snapshotHash) {
    Dataset<Row> computed = set.features().compute(events, entityTable(entity), entity, start, end);
    List<Column> columns = new ArrayList<>();
    columns.add(lit(snapshotId).as(FeatureTables.SNAPSHOT_ID));
    Arrays.stream(computed.columns()).forEach(c -> columns.add(col("`" + c + "`")));
    columns.add(lit(set.id()).as(FeatureTables.FEATURE_SET));
    columns.add(lit(snapshotHash).as(FeatureTables.SNAPSHOT_HASH));
    return computed.select(columns.toArray(Column[]::new));
  }

  private static Dataset<Row> withItem(Dataset<Row> events, Dataset<Row> items) {
    Column[] itemColumns = Arrays.stream(items.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    Dataset<Row> catalog = items.select(col("item_id").as("__item_key"), struct(itemColumns).as(ITEM_STRUCT));
    return events.join(catalog, events.col("item_id").equalTo(catalog.col("__item_key")), "left").drop("__item_key");
  }

}
