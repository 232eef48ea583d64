package io.rehearsal.transforms.quality;

/**
 * Summary of one feature column over a set of rows (entity × as-of day): the missing rate over all rows;
 * mean, standard deviation, p50 and p90 over the non-null values (exact percentiles, linear
 * interpolation; null when the column is not numeric or boolean, or has no values); the number of distinct
 * entities, which is the effective sample size (an entity's days are strongly correlated); and the
 * distribution-free confidence limits of p50 and p90 ({@code pXXLow}/{@code pXXHigh}, the percentiles at
 * q ∓ z·√(q(1−q)/entities)) for the z the profile was computed with.
 */
public record ColumnProfile(String column, long rows, long missing, long entities, Double mean, Double sd,
    Double p50, Double p90, Double p50Low, Double p50High, Double p90Low, Double p90High) {

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

  /**
   * How far this (sampled) profile's statistic may stray from the population's by sampling noise alone,
   * at the z the profile was computed with: z standard errors of the mean or of the missing rate
   * (at the baseline's rate), or the half-width of a percentile's confidence interval around it.
   */
  public double noise(Statistic statistic, double z, Double baselineValue) {
    if (z == 0 || entities == 0) {
      return 0;
    }
    switch (statistic) {
      case MEAN:
        return sd == null ? 0 : z * sd / Math.sqrt(entities);
      case MISSING_RATE: {
        double p = baselineValue == null ? missingRate() : baselineValue;
        return z * Math.sqrt(p * (1 - p) / entities);
      }
      case P50:
        return halfWidth(p50, p50Low, p50High);
      default:
        return halfWidth(p90, p90Low, p90High);
    }
  }

  private static double halfWidth(Double center, Double low, Double high) {
    if (center == null || low == null || high == null) {
      return 0;
    }
    return Math.max(center - low, high - center);
  }
}
