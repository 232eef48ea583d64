package io.rehearsal.transforms.drift;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;

/**
 * Which window a feature row counts in, and the cohort rows of a segment; every expected label and key is
 * written out by hand from the rows below.
 */
public class DriftWindowsAndCohortsTest extends SparkTestBase {

  private static final LocalDate APRIL_1 = LocalDate.parse("2025-04-01");
  private static final DriftWindows WINDOWS = new DriftWindows(APRIL_1, LocalDate.parse("2025-04-03"),
      LocalDate.parse("2025-04-05"), LocalDate.parse("2025-04-07"),
      List.of(LocalDate.parse("2025-04-03"), LocalDate.parse("2025-04-07")));

  private static final StructType FEATURES = new StructType().add("user_id", DataTypes.StringType)
      .add("as_of_date", DataTypes.DateType).add("x", DataTypes.IntegerType).add("__segment", DataTypes.StringType);

  private Dataset<Row> featureRows(Object[]... rows) {
    return spark().createDataFrame(Arrays.stream(rows).map(r -> RowFactory.create(r[0],
        Date.valueOf((String) r[1]), r[2], "seg")).toList(), FEATURES);
  }

  private static String labels(Dataset<Row> labelled) {
    return labelled.collectAsList().stream().map(r -> r.getString(0) + "@" + r.getDate(1) + ":" + r.getString(4))
        .sorted().collect(Collectors.joining(" "));
  }

  @Test
  public void aRowCountsOncePerWindowItsDayIsIn() {
    Dataset<Row> rows = featureRows(new Object[] {"u1", "2025-04-01", 1}, new Object[] {"u1", "2025-04-03", 2},
        new Object[] {"u1", "2025-04-04", 3}, new Object[] {"u1", "2025-04-07", 4});
    // 04-03 is the reference's last day and a series day; 04-04 is in no window; 04-07 ends the current window and
    // is a series day.
    assertEquals("u1@2025-04-01:reference u1@2025-04-03:2025-04-03 u1@2025-04-03:reference "
        + "u1@2025-04-07:2025-04-07 u1@2025-04-07:current", labels(WINDOWS.label(rows, "__window")));
    assertEquals(new TreeSet<>(List.of(APRIL_1, APRIL_1.plusDays(1), APRIL_1.plusDays(2), APRIL_1.plusDays(4),
        APRIL_1.plusDays(5), APRIL_1.plusDays(6))), WINDOWS.allDays());

    // Against another run's snapshots: no reference window and no series, so only the current days count.
    DriftWindows current = WINDOWS.withoutReference();
    assertEquals("u1@2025-04-07:current", labels(current.label(rows, "__window")));
    assertEquals(current.currentDays(), current.allDays());
  }

  @Test
  public void cohortRowsAreKeyedBySegmentSliceAndValue() {
    Dataset<Row> labelled = WINDOWS.label(featureRows(new Object[] {"u1", "2025-04-01", 1},
        new Object[] {"u1", "2025-04-05", 2}, new Object[] {"u2", "2025-04-05", 3},
        new Object[] {"u3", "2025-04-06", 4},
        new Object[] {"u1", "2025-04-03", 5}), "__window");
    StructType users = new StructType().add("user_id", DataTypes.StringType).add("country", DataTypes.StringType);
    // u1 is in both snapshots' tables (counted once), u2 has no country, u3 is in neither table.
    Dataset<Row> first = spark().createDataFrame(List.of(RowFactory.create("u1", "DE"), RowFactory.create("u2", null)),
        users);
    Dataset<Row> second = spark().createDataFrame(List.of(RowFactory.create("u1", "DE")), users);
    StructType eventSchema = new StructType().add("user_id", DataTypes.StringType)
        .add("event_type", DataTypes.StringType).add("event_ts", DataTypes.TimestampType);
    // u1's first purchase is on 04-02 (a view before it does not count): new on 04-01, returning from 04-03 on.
    Dataset<Row> events = spark().createDataFrame(List.of(
        RowFactory.create("u1", "view", Timestamp.from(Instant.parse("2025-03-01T10:00:00Z"))),
        RowFactory.create("u1", "purchase", Timestamp.from(Instant.parse("2025-04-02T10:00:00Z"))),
        RowFactory.create("u1", "purchase", Timestamp.from(Instant.parse("2025-04-04T10:00:00Z")))), eventSchema);

    DriftCohorts.Rows cohorts = DriftCohorts.of(labelled, "user_id", "__segment", "__window",
        List.of("country", "device", DriftCohorts.NEW_VS_RETURNING), List.of(first, second), List.of(events));
    assertEquals(List.of("country", DriftCohorts.NEW_VS_RETURNING), cohorts.slices());
    String keys = cohorts.rows().collectAsList().stream()
        .map(r -> r.getString(0) + "@" + r.getDate(1) + ":" + r.getString(4) + ":"
            + r.getString(3).replace(DriftCohorts.SEPARATOR, "|"))
        .sorted().collect(Collectors.joining(" "));
    // Only reference and current rows (u1 on 04-03 is counted in the reference, not as a series day).
    assertEquals("u1@2025-04-01:reference:seg|country=DE u1@2025-04-01:reference:seg|new_vs_returning=new "
        + "u1@2025-04-03:reference:seg|country=DE u1@2025-04-03:reference:seg|new_vs_returning=returning "
        + "u1@2025-04-05:current:seg|country=DE u1@2025-04-05:current:seg|new_vs_returning=returning "
        + "u2@2025-04-05:current:seg|country=unknown u2@2025-04-05:current:seg|new_vs_returning=new "
        + "u3@2025-04-06:current:seg|country=unknown u3@2025-04-06:current:seg|new_vs_returning=new", keys);

    DriftCohorts.Key key = DriftCohorts.Key.parse("seg" + DriftCohorts.SEPARATOR + "country=a=b");
    assertEquals(new DriftCohorts.Key("seg", "country", "a=b"), key);
    assertEquals(null, DriftCohorts.Key.parse("seg"));

    // Items: no purchases given, so no new-vs-returning slice even when asked for; no slice column, no rows.
    DriftCohorts.Rows none = DriftCohorts.of(labelled, "user_id", "__segment", "__window",
        List.of("device", DriftCohorts.NEW_VS_RETURNING), List.of(first), null);
    assertTrue(none.isEmpty());
    assertEquals(null, none.rows());
  }
}
