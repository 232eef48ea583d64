package io.rehearsal.transforms.drift;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.features.RollingFeatures;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The windows a drift run compares: the reference window (absent when the reference is another run's
 * snapshots), the current window and the days of the series. {@link #label} gives each feature row one row per
 * window its {@code as_of_date} falls in ({@link DriftSuite#REFERENCE}, {@link DriftSuite#CURRENT} or the series
 * day as yyyy-mm-dd): a day in both the current window and the series counts in both.
 */
public record DriftWindows(LocalDate referenceStart, LocalDate referenceEnd, LocalDate currentStart,
    LocalDate currentEnd, List<LocalDate> series) {

  public DriftWindows {
    series = List.copyOf(series);
  }

  /** The windows without a reference window (the reference rows come from elsewhere). */
  public DriftWindows withoutReference() {
    return new DriftWindows(null, null, currentStart, currentEnd, List.of());
  }

  public boolean hasReference() {
    return referenceStart != null;
  }

  /** The current window's days. */
  public TreeSet<LocalDate> currentDays() {
    return days(currentStart, currentEnd);
  }

  /** Every as-of day some window needs, in order. */
  public TreeSet<LocalDate> allDays() {
    TreeSet<LocalDate> days = new TreeSet<>(series);
    days.addAll(currentDays());
    if (hasReference()) {
      days.addAll(days(referenceStart, referenceEnd));
    }
    return days;
  }

  /** The rows with {@code windowColumn}: once per window the row's as_of_date is in; rows in none are dropped. */
  public Dataset<Row> label(Dataset<Row> rows, String windowColumn) {
    Column asOf = col(RollingFeatures.AS_OF_DATE);
    List<Column> labels = new ArrayList<>();
    if (hasReference()) {
      labels.add(when(asOf.between(Date.valueOf(referenceStart), Date.valueOf(referenceEnd)),
          lit(DriftSuite.REFERENCE)));
    }
    labels.add(when(asOf.between(Date.valueOf(currentStart), Date.valueOf(currentEnd)), lit(DriftSuite.CURRENT)));
    for (LocalDate day : series) {
      labels.add(when(asOf.equalTo(Date.valueOf(day)), lit(day.toString())));
    }
    return rows.withColumn(windowColumn, explode(array(labels.toArray(new Column[0]))))
        .where(col(windowColumn).isNotNull());
  }

  private static TreeSet<LocalDate> days(LocalDate start, LocalDate end) {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (LocalDate day = start; !day.isAfter(end); day = day.plusDays(1)) {
      days.add(day);
    }
    return days;
  }
}
