package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_distinct;
import static org.apache.spark.sql.functions.datediff;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.schema.CanonicalTables;
import java.sql.Date;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The user-level view a segment filter is written against: every column of the users table plus
 * activity derived from events in the segment's window [start, end) (UTC days, end exclusive).
 */
public final class UserProfiles {

  /** Columns added to the users table; documented in docs/manifest.md. */
  public static final List<String> DERIVED_COLUMNS = List.of(
      "events_in_window", "purchases_in_window", "orders_in_window", "returns_in_window",
      "revenue_in_window", "first_event_ts", "last_event_ts", "purchases_before_window",
      "is_new_customer", "tenure_days");

  private UserProfiles() {}

  public static Column inWindow(LocalDate start, LocalDate end) {
    return col("event_ts").geq(lit(startInstant(start))).and(col("event_ts").lt(lit(startInstant(end))));
  }

  public static Instant startInstant(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** Revenue of a purchase line: quantity × unit price (exact decimal). */
  public static Column lineRevenue() {
    return col("quantity").cast(CanonicalTables.MONEY).multiply(col("unit_price"));
  }

  /** Users with at least one event in the window, with their window activity. */
  public static Dataset<Row> build(Dataset<Row> events, Dataset<Row> users, LocalDate start, LocalDate end) {
    Column isPurchase = col("event_type").equalTo("purchase");
    Dataset<Row> window = events.where(inWindow(start, end)).groupBy("user_id").agg(
        count(lit(1)).as("events_in_window"),
        sum(when(isPurchase, 1L).otherwise(0L)).as("purchases_in_window"),
        count_distinct(when(isPurchase, col("order_id"))).as("orders_in_window"),
        sum(when(col("event_type").equalTo("return"), 1L).otherwise(0L)).as("returns_in_window"),
        coalesce(sum(when(isPurchase, lineRevenue())), lit(0).cast(CanonicalTables.MONEY)).as("revenue_in_window"),
        min("event_ts").as("first_event_ts"),
        max("event_ts").as("last_event_ts"));
    Dataset<Row> prior = events
        .where(col("event_ts").lt(lit(startInstant(start))).and(isPurchase))
        .groupBy("user_id")
        .agg(count(lit(1)).as("purchases_before_window"));
    return users.join(window, "user_id")
        .join(prior, Columns.using("user_id"), "left")
        .withColumn("purchases_before_window", coalesce(col("purchases_before_window"), lit(0L)))
        .withColumn("is_new_customer", coalesce(col("signup_ts").geq(lit(startInstant(start))), lit(false)))
        .withColumn("tenure_days", datediff(lit(Date.valueOf(start)), col("signup_ts")));
  }
}
