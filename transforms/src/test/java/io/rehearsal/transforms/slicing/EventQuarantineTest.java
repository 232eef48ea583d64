package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;

/** Every expected row and count below is worked out by hand from the rows listed in {@link #events()}. */
public class EventQuarantineTest extends SparkTestBase {

  private static final Instant WRITTEN = Instant.parse("2025-07-01T00:00:00Z");
  private static final StructType SCHEMA = new StructType().add("event_id", DataTypes.StringType)
      .add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
      .add("event_ts", DataTypes.TimestampType).add("ingested_at", DataTypes.TimestampType);

  private static Timestamp ts(String instant) {
    return instant == null ? null : Timestamp.from(Instant.parse(instant));
  }

  private static Row row(String id, String user, String item, String at, String ingested) {
    return RowFactory.create(id, user, item, ts(at), ts(ingested));
  }

  private Dataset<Row> events() {
    return spark().createDataFrame(List.of(
        row("e1", "u1", "i1", "2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z"),
        row(null, "u1", "i1", "2025-06-01T10:00:00Z", null),                    // missing_event_id
        row("e2", null, "i1", "2025-06-01T10:00:00Z", null),                    // missing_user_id
        row("e3", "u2", "i2", null, null),                                      // missing_event_ts
        row("e4", "u2", "i2", "2025-07-01T00:00:01Z", null),                    // future (one second after)
        row("e5", "u3", "i3", "2025-07-01T00:00:00Z", null),                    // exactly when written: kept
        // e6 delivered twice: the first ingested (09:00) is kept, the 10:00 one is a duplicate.
        row("e6", "u3", "i3", "2025-06-02T08:00:00Z", "2025-06-02T10:00:00Z"),
        row("e6", "u3", "i3", "2025-06-02T08:00:00Z", "2025-06-02T09:00:00Z"),
        // e7 three identical rows: one kept, two duplicates.
        row("e7", "u4", "i4", "2025-06-03T08:00:00Z", null),
        row("e7", "u4", "i4", "2025-06-03T08:00:00Z", null),
        row("e7", "u4", "i4", "2025-06-03T08:00:00Z", null),
        // e8: a row without a user and a valid row share the id: only the valid one is ranked, and kept.
        row("e8", null, "i5", "2025-06-04T08:00:00Z", null),
        row("e8", "u5", "i5", "2025-06-04T08:00:00Z", null)), SCHEMA);
  }

  private static List<String> describe(Dataset<Row> rows) {
    List<String> out = new ArrayList<>();
    for (Row r : rows.orderBy(col("event_id").asc_nulls_first(), col("user_id").asc_nulls_first(), col("ingested_at"))
        .collectAsList()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < r.size(); i++) {
        sb.append(i == 0 ? "" : " ").append(r.get(i) instanceof Timestamp t ? t.toInstant().toString() : r.get(i));
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  public void eachBadRowIsSetAsideWithItsFirstReasonAndDuplicatesKeepTheFirstIngested() {
    EventQuarantine.Split split = EventQuarantine.split(events(), WRITTEN);
    assertEquals(List.of("missing_event_id=1", "missing_user_id=2", "missing_event_ts=1", "future_event_ts=1",
        "duplicate_event_id=3"), split.counts().entrySet().stream().map(Object::toString).toList());
    assertEquals(8, split.total());
    assertEquals(List.of(
        "e1 u1 i1 2025-06-01T10:00:00Z 2025-06-01T11:00:00Z",
        "e5 u3 i3 2025-07-01T00:00:00Z null",
        "e6 u3 i3 2025-06-02T08:00:00Z 2025-06-02T09:00:00Z",
        "e7 u4 i4 2025-06-03T08:00:00Z null",
        "e8 u5 i5 2025-06-04T08:00:00Z null"), describe(split.kept()));
    assertEquals(List.of(
        "null u1 i1 2025-06-01T10:00:00Z null missing_event_id",
        "e2 null i1 2025-06-01T10:00:00Z null missing_user_id",
        "e3 u2 i2 null null missing_event_ts",
        "e4 u2 i2 2025-07-01T00:00:01Z null future_event_ts",
        "e6 u3 i3 2025-06-02T08:00:00Z 2025-06-02T10:00:00Z duplicate_event_id",
        "e7 u4 i4 2025-06-03T08:00:00Z null duplicate_event_id",
        "e7 u4 i4 2025-06-03T08:00:00Z null duplicate_event_id",
        "e8 null i5 2025-06-04T08:00:00Z null missing_user_id"), describe(split.quarantined()));
  }

  @Test
  public void theKeptRowOfADuplicateDoesNotDependOnPartitioning() {
    // Same id, same ingestion time, different items: the row with the lower hash of all columns is kept.
    Dataset<Row> twins = spark().createDataFrame(List.of(
        row("d", "u", "a", "2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z"),
        row("d", "u", "b", "2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z"),
        row("d", "u", "c", "2025-06-01T10:00:00Z", "2025-06-01T11:00:00Z")), SCHEMA);
    List<String> kept = describe(EventQuarantine.split(twins.repartition(1), WRITTEN).kept());
    assertEquals(1, kept.size());
    for (int partitions : new int[] {2, 3, 5}) {
      assertEquals(kept, describe(EventQuarantine.split(twins.repartition(partitions), WRITTEN).kept()));
      assertEquals(kept, describe(EventQuarantine.split(twins.orderBy(col("item_id").desc()).repartition(partitions),
          WRITTEN).kept()));
    }
  }

  @Test
  public void cleanEventsPassUnchangedAndWithoutAWrittenTimeNothingIsInTheFuture() {
    Dataset<Row> clean = events().where(col("event_id").isin("e1", "e4", "e5"));
    EventQuarantine.Split split = EventQuarantine.split(clean, null);
    assertSame("the input itself: the plan of a clean lake is unchanged", clean, split.kept());
    assertEquals(0, split.total());
    assertEquals(0, split.quarantined().count());
    assertEquals(List.of("event_id", "user_id", "item_id", "event_ts", "ingested_at", "quarantine_reason"),
        List.of(split.quarantined().columns()));
  }
}
