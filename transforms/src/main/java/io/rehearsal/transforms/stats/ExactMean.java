package io.rehearsal.transforms.stats;

import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.sum;

import java.math.BigDecimal;
import java.math.MathContext;
import org.apache.spark.sql.Column;
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
  private static final String DECIMAL = "decimal(38," + SCALE + ")";

  private ExactMean() {}

  /** The two aggregates a mean needs (exact sum, count of non-null values); read them back with {@link #of}. */
  public static Column[] aggregates(Column value) {
    return new Column[] {sum(value.cast(DECIMAL)), count(value)};
  }

  /** The mean from the row holding {@link #aggregates} at {@code at} and {@code at + 1}; null without values. */
  public static Double of(Row row, int at) {
    long n = row.getLong(at + 1);
    if (n == 0 || row.isNullAt(at)) {
      return null;
    }
    BigDecimal total = row.getDecimal(at);
    return total.divide(BigDecimal.valueOf(n), MathContext.DECIMAL128).doubleValue();
  }
}
