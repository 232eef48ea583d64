package io.rehearsal.transforms.quality;

/**
 * Summary of one feature column over a set of rows: the missing rate over all rows, and mean, p50 and
 * p90 over the non-null values (exact percentiles with linear interpolation; null when the column is not
 * numeric or boolean, or has no values).
 */
public record ColumnProfile(String column, long rows, long missing, Double mean, Double p50, Double p90) {

  public double missingRate() {
    return rows == 0 ? 0.0 : (double) missing / rows;
  }

  public Double value(Statistic statistic) {
    switch (statistic) {
      case MEAN:
        return mean;
      case P50:
        return p50;
      case P90:
        return p90;
      default:
        return rows == 0 ? null : missingRate();
    }
  }
}
