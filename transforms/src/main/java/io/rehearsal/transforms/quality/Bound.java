package io.rehearsal.transforms.quality;

/**
 * How far a testbed statistic may be from its baseline: {@code |testbed − baseline| <= max(absolute,
 * relative × |baseline|)}. Relative bounds suit large values; the absolute floor keeps values near zero
 * from failing on noise.
 */
public record Bound(double relative, double absolute) {

  public Bound {
    if (!(relative >= 0) || !(absolute >= 0)) {
      throw new IllegalArgumentException("tolerance bounds must be >= 0, got relative " + relative + " and absolute "
          + absolute);
    }
  }

  public double allowed(double baseline) {
    return Math.max(absolute, relative * Math.abs(baseline));
  }

  public boolean accepts(double testbed, double baseline) {
    // The 1e-12 slack absorbs the last-bit error of the subtraction when the difference equals the bound.
    return Math.abs(testbed - baseline) <= allowed(baseline) * (1 + 1e-12) + 1e-15;
  }

  @Override
  public String toString() {
    if (absolute == 0) {
      return "±" + percent(relative);
    }
    if (relative == 0) {
      return "±" + absolute;
    }
    return "±max(" + absolute + ", " + percent(relative) + ")";
  }

  private static String percent(double fraction) {
    return (Math.round(fraction * 10000) / 100.0) + "%";
  }
}
