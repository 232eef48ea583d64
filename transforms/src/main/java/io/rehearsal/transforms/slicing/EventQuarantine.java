package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/**
 * Events a testbed cannot use, set aside with the reason instead of silently dropped or counted twice: no event id,
 * no user, no time, a time after the input was written (the clock of whoever sent it was wrong), and the second and
 * later rows of one event id (a source that delivered an event twice). Of rows sharing an event id the first
 * ingested is kept (then the lowest hash of the whole row: the same row whatever the partitioning).
 */
public final class EventQuarantine {

  public static final String REASON = "quarantine_reason";
  public static final String MISSING_EVENT_ID = "missing_event_id";
  public static final String MISSING_USER_ID = "missing_user_id";
  public static final String MISSING_EVENT_TS = "missing_event_ts";
  public static final String FUTURE_EVENT_TS = "future_event_ts";
  public static final String DUPLICATE_EVENT_ID = "duplicate_event_id";
  /** Every reason, in the order rules are applied (a row gets the first it breaks). */
  public static final List<String> REASONS = List.of(MISSING_EVENT_ID, MISSING_USER_ID, MISSING_EVENT_TS,
      FUTURE_EVENT_TS, DUPLICATE_EVENT_ID);

  private EventQuarantine() {}

  /**
   * The kept events (the input itself, plan unchanged, when nothing is set aside), the set-aside rows with their
   * reason, and how many rows each reason took (every reason listed, zeros too).
   */
  public record Split(Dataset<Row> kept, Dataset<Row> quarantined, Map<String, Long> counts) {

    public long total() {
      return counts.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Splits events; {@code notAfter} is the moment the input was written (an event later than it is in the future),
   * or null when unknown (no future check). One Spark job counts; a second ranks duplicates only when there are some.
   */
  public static Split split(Dataset<Row> events, Instant notAfter) {
    return split(events, notAfter, counts(events, notAfter));
  }

  /**
   * How many rows of {@code events} each reason sets aside (every reason listed, zeros too): one Spark job, the one
   * {@link #split(Dataset, Instant)} starts with.
   */
  public static Map<String, Long> counts(Dataset<Row> events, Instant notAfter) {
    Column rowReason = rowReason(notAfter);
    List<Column> counts = new ArrayList<>();
    for (String reason : REASONS.subList(0, REASONS.size() - 1)) {
      counts.add(count(when(rowReason.equalTo(reason), lit(1))).as(reason));
    }
    counts.add(count(when(rowReason.isNull(), lit(1))).as("valid"));
    counts.add(countDistinct(when(rowReason.isNull(), col("event_id"))).as("distinct_valid"));
    Row c = events.agg(counts.get(0), counts.subList(1, counts.size()).toArray(Column[]::new)).first();
    Map<String, Long> byReason = new LinkedHashMap<>();
    for (String reason : REASONS.subList(0, REASONS.size() - 1)) {
      byReason.put(reason, c.<Long>getAs(reason));
    }
    long duplicates = c.<Long>getAs("valid") - c.<Long>getAs("distinct_valid");
    byReason.put(DUPLICATE_EVENT_ID, duplicates);
    return byReason;
  }

  /**
   * The split of {@code events} whose {@link #counts} are known already (the same rows, the same {@code notAfter}):
   * no Spark job here; a second one ranks duplicates when the rows are read, only when there are some.
   */
  public static Split split(Dataset<Row> events, Instant notAfter, Map<String, Long> byReason) {
    Column rowReason = rowReason(notAfter);
    long duplicates = byReason.get(DUPLICATE_EVENT_ID);
    if (byReason.values().stream().allMatch(n -> n == 0)) {
      return new Split(events, events.withColumn(REASON, lit(null).cast("string")).where(lit(false)), byReason);
    }
    Dataset<Row> tagged = events.withColumn(REASON, rowReason);
    if (duplicates > 0) {
      List<Column> order = new ArrayList<>();
      if (Arrays.asList(events.columns()).contains("ingested_at")) {
        order.add(col("ingested_at").asc_nulls_last());
      }
      order.add(xxhash64(Arrays.stream(events.columns()).map(n -> col("`" + n + "`")).toArray(Column[]::new)));
      Column rank = row_number().over(Window.partitionBy(col("event_id"), col(REASON).isNull())
          .orderBy(order.toArray(Column[]::new)));
      tagged = tagged.withColumn(REASON, when(col(REASON).isNull().and(rank.gt(1)), lit(DUPLICATE_EVENT_ID))
          .otherwise(col(REASON)));
    }
    return new Split(tagged.where(col(REASON).isNull()).drop(REASON), tagged.where(col(REASON).isNotNull()), byReason);
  }

  /** The first row-level rule a row breaks, or null. */
  static Column rowReason(Instant notAfter) {
    Column future = notAfter == null ? lit(false) : col("event_ts").gt(lit(Timestamp.from(notAfter)));
    return when(col("event_id").isNull(), lit(MISSING_EVENT_ID))
        .when(col("user_id").isNull(), lit(MISSING_USER_ID))
        .when(col("event_ts").isNull(), lit(MISSING_EVENT_TS))
        .when(future, lit(FUTURE_EVENT_TS));
  }
}
