package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The item ids a list may hold at a cutoff: the catalog's items launched before it. An item whose launch time is
 * unknown (NULL, as in a catalog imported from transactions alone) counts as available: leaving it out would shrink
 * the catalog to nothing and make every coverage guardrail read 0 against 0.
 */
public final class AvailableItems {

  private AvailableItems() {}

  public static Dataset<Row> at(Dataset<Row> catalog, LocalDate cutoff) {
    if (!Arrays.asList(catalog.columns()).contains("launch_ts")) {
      return catalog.select("item_id");
    }
    Timestamp start = Timestamp.from(cutoff.atStartOfDay(ZoneOffset.UTC).toInstant());
    return catalog.where(col("launch_ts").isNull().or(col("launch_ts").lt(lit(start)))).select("item_id");
  }
}
