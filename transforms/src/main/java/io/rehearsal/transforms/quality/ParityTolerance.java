package io.rehearsal.transforms.quality;

/** One bound per statistic. A null component means "not set here" (see {@link #overriddenBy}). */
public record ParityTolerance(Bound mean, Bound p50, Bound p90, Bound missingRate) {

  /** 10% relative on mean, p50 and p90; 2 percentage points absolute on the missing rate. */
  public static final ParityTolerance DEFAULT = new ParityTolerance(new Bound(0.10, 0), new Bound(0.10, 0),
      new Bound(0.10, 0), new Bound(0, 0.02));

  /** This tolerance with every bound that {@code other} sets replaced by other's. */
  public ParityTolerance overriddenBy(ParityTolerance other) {
    if (other == null) {
      return this;
    }
    return new ParityTolerance(pick(other.mean, mean), pick(other.p50, p50), pick(other.p90, p90),
        pick(other.missingRate, missingRate));
  }

  public Bound of(Statistic statistic) {
    switch (statistic) {
      case MEAN:
        return mean;
      case P50:
        return p50;
      case P90:
        return p90;
      default:
        return missingRate;
    }
  }

  private static Bound pick(Bound preferred, Bound fallback) {
    return preferred != null ? preferred : fallback;
  }
}
