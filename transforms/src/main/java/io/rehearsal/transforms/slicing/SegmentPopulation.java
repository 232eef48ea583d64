package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The users a segment is sampled from: profiles over its window, its filter, its minimum events. */
public final class SegmentPopulation {

  private SegmentPopulation() {}

  /** One profile row per eligible user (columns of {@link UserProfiles#build}). */
  public static Dataset<Row> eligible(Dataset<Row> events, Dataset<Row> users, SegmentSpec segment) {
    return UserProfiles.build(events, users, segment.windowStart(), segment.windowEnd())
        .where(expr(segment.effectiveFilter()))
        .where(col("events_in_window").geq(lit(segment.minEventsPerUser())));
  }
}
