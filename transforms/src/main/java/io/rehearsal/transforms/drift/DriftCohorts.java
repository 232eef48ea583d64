package io.rehearsal.transforms.drift;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.features.RollingFeatures;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Cohorts inside a drift segment: the reference and current feature rows again, once per cohort of the entity
 * (a slice column of the entity table, e.g. country or category, and for users new vs returning as of the row's
 * day), keyed {@code segment␁slice=value} in the segment column so that one {@link DriftSuite} pass profiles
 * segments and cohorts together. {@link Key#parse} reads such a key back.
 */
public final class DriftCohorts {

  /** Separates a segment from a cohort in the profiled segment key: {@code segment␁slice=value}. */
  public static final String SEPARATOR = "\u0001";
  /** A cohort is compared only with at least this many rows in both windows: fewer give noisy PSI. */
  public static final long MIN_ROWS = 100;
  /** The slice computed from the events: "returning" once the user's first purchase lies before the as-of day. */
  public static final String NEW_VS_RETURNING = "new_vs_returning";
  /** A slice value that is null in the entity table. */
  public static final String UNKNOWN = "unknown";

  private DriftCohorts() {}

  /** The cohort rows and the slices they are keyed by, in the order asked for; no rows when no slice applies. */
  public record Rows(Dataset<Row> rows, List<String> slices) {
    public boolean isEmpty() {
      return slices.isEmpty();
    }
  }

  /** A profiled key split into the segment, the slice and its value; null for a key that is a segment's own. */
  public record Key(String segment, String slice, String value) {
    public static Key parse(String key) {
      int at = key.indexOf(SEPARATOR);
      if (at < 0) {
        return null;
      }
      String[] slice = key.substring(at + SEPARATOR.length()).split("=", 2);
      return new Key(key.substring(0, at), slice[0], slice[1]);
    }
  }

  /**
   * The cohort rows of {@code labelled} (feature rows with the entity's id, {@code as_of_date}, the segment and
   * the window column): only its reference and current rows, once per slice in {@code wanted} that the entity
   * tables have (null values as {@value #UNKNOWN}), plus new vs returning when wanted and {@code purchases} is
   * given (events with user_id, event_type and event_ts; the first purchase over all of them counts).
   *
   * @param entityTables the entity's tables (e.g. one per segment's snapshot); an id in several counts once
   */
  public static Rows of(Dataset<Row> labelled, String idColumn, String segmentColumn, String windowColumn,
      List<String> wanted, List<Dataset<Row>> entityTables, List<Dataset<Row>> purchases) {
    Dataset<Row> table = null;
    for (Dataset<Row> t : entityTables) {
      table = table == null ? t : table.unionByName(t, true);
    }
    List<String> columns = Arrays.asList(table.columns());
    List<String> slices = new ArrayList<>();
    List<Column> attributes = new ArrayList<>();
    attributes.add(col(idColumn));
    for (String slice : wanted) {
      if (columns.contains(slice)) {
        slices.add(slice);
        attributes.add(col(slice).cast("string").as("__c_" + slice));
      }
    }
    Dataset<Row> attributeTable = table.select(attributes.toArray(new Column[0])).dropDuplicates(idColumn);
    if (wanted.contains(NEW_VS_RETURNING) && purchases != null) {
      slices.add(NEW_VS_RETURNING);
      Dataset<Row> firstPurchase = null;
      for (Dataset<Row> events : purchases) {
        Dataset<Row> f = events.where(col("event_type").equalTo("purchase")).groupBy("user_id")
            .agg(min("event_ts").as("__first_purchase"));
        firstPurchase = firstPurchase == null ? f : firstPurchase.unionByName(f);
      }
      attributeTable = attributeTable.join(firstPurchase.groupBy("user_id")
          .agg(min("__first_purchase").as("__first_purchase")), Columns.using(idColumn), "left");
    }
    if (slices.isEmpty()) {
      return new Rows(null, List.of());
    }
    List<Column> keys = new ArrayList<>();
    for (String slice : slices) {
      Column value = slice.equals(NEW_VS_RETURNING)
          ? when(to_date(col("__first_purchase")).lt(col(RollingFeatures.AS_OF_DATE)), lit("returning"))
              .otherwise(lit("new"))
          : coalesce(col("__c_" + slice), lit(UNKNOWN));
      keys.add(concat(col(segmentColumn), lit(SEPARATOR + slice + "="), value));
    }
    Dataset<Row> rows = labelled.where(col(windowColumn).isin(DriftSuite.REFERENCE, DriftSuite.CURRENT))
        .join(attributeTable, Columns.using(idColumn), "left")
        .withColumn(segmentColumn, explode(array(keys.toArray(new Column[0]))))
        .select(Arrays.stream(labelled.columns()).map(c -> col("`" + c + "`")).toArray(Column[]::new));
    return new Rows(rows, List.copyOf(slices));
  }
}
