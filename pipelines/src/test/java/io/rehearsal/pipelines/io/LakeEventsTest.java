package io.rehearsal.pipelines.io;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.slicing.EventQuarantine;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The quarantine's counts are kept per pinned version: a later version of the same table gets its own, and the
 * version counted first still splits as it did. Expected counts and rows worked out by hand from the rows written.
 */
public class LakeEventsTest extends io.rehearsal.transforms.testing.SparkTestBase {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final StructType SCHEMA = new StructType().add("event_id", DataTypes.StringType)
      .add("user_id", DataTypes.StringType).add("event_ts", DataTypes.TimestampType);

  private static Row row(String id, String user) {
    return RowFactory.create(id, user, Timestamp.from(Instant.parse("2025-06-01T10:00:00Z")));
  }

  @Test
  public void eachPinnedVersionIsCountedOnItsOwn() throws Exception {
    String path = temp.newFolder("events").getAbsolutePath();
    // Version 0: e1 twice (one is a duplicate) and a row without a user; version 1: three clean rows.
    spark().createDataFrame(List.of(row("e1", "u1"), row("e1", "u1"), row("e2", null)), SCHEMA)
        .write().format("delta").save(path);
    spark().createDataFrame(List.of(row("e1", "u1"), row("e2", "u2"), row("e3", "u3")), SCHEMA)
        .write().format("delta").mode("overwrite").save(path);
    DeltaTableStore store = new DeltaTableStore(spark());
    TableSource v0 = TableSource.delta("events", path).atVersion(0L);
    TableSource v1 = TableSource.delta("events", path).atVersion(1L);

    EventQuarantine.Split first = LakeEvents.split(store, v0, store.committedAt(v0));
    assertEquals("{missing_event_id=0, missing_user_id=1, missing_event_ts=0, future_event_ts=0, duplicate_event_id=1}",
        first.counts().toString());
    EventQuarantine.Split later = LakeEvents.split(store, v1, store.committedAt(v1));
    assertEquals("{missing_event_id=0, missing_user_id=0, missing_event_ts=0, future_event_ts=0, duplicate_event_id=0}",
        later.counts().toString());
    assertEquals(List.of("e1", "e2", "e3"), ids(later));
    // Version 0 again, after version 1 was counted: its own counts, and the same kept rows as the first time.
    EventQuarantine.Split again = LakeEvents.split(store, v0, store.committedAt(v0));
    assertEquals(first.counts(), again.counts());
    assertEquals(List.of("e1"), ids(again));
  }

  private static List<String> ids(EventQuarantine.Split split) {
    return split.kept().orderBy(col("event_id")).collectAsList().stream().map(r -> r.getString(0)).toList();
  }
}
