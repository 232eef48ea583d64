package io.rehearsal.transforms.stats;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The mean of a double column that does not depend on the order Spark adds the values in. {@code avg} sums
 * doubles in partition and row order, so the same values partitioned otherwise can give a mean a few ulps
 * apart (seen: a scenario that changes nothing got an NDCG delta of -1.4e-17 with two shuffle partitions instead
 * of 0). Here each value is rounded to {@link #SCALE} decimal places and summed as a DECIMAL, which is exact, so
 * equal values give equal means on any partitioning. Nulls are left out, as {@code avg} leaves them out.
 */
public final class ExactMean {

  /** Decimal places a value keeps before it is summed: 1e-18 is far below any metric's meaningful digits. */
  public static final int SCALE = 18;
  /** How many aggregate columns one mean takes ({@link #aggregates}). */
  public static final int WIDTH = 3;
  private static final String DECIMAL = "decimal(38," + SCALE + ")";

  private ExactMean() {}

  /**
   * The {@link #WIDTH} aggregates a mean needs: the exact sum, the count of non-null values and the count of
   * those that fit the DECIMAL (magnitude below 1e20); read them back with {@link #of(Row, int)}.
   */
  public static Column[] aggregates(Column value) {
    Column exact = value.cast(DECIMAL);
    return new Column[] {sum(exact), count(value), count(exact)};
  }

  /** The mean from the row holding {@link #aggregates} from {@code at} on; null without values. */
  public static Double of(Row row, int at) {
    long values = row.getLong(at + 1);
    if (values != row.getLong(at + 2) || (values > 0 && row.isNullAt(at))) {
      throw new ArithmeticException("Cannot average " + values + " values exactly: a value or their sum is beyond "
          + "1e20, the range of DECIMAL(38," + SCALE + ")");
    }
    if (values == 0) {
      return null;
    }
    return row.getDecimal(at).divide(BigDecimal.valueOf(values), MathContext.DECIMAL128).doubleValue();
  }

  /** The mean of {@code value} over {@code rows}, in one Spark pass; null without values. */
  public static Double of(Dataset<Row> rows, Column value) {
    Column[] aggregates = aggregates(value);
    return of(rows.agg(aggregates[0], aggregates[1], aggregates[2]).first(), 0);
  }
}
