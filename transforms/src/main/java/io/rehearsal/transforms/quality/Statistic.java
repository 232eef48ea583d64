package io.rehearsal.transforms.quality;

/** The per-column statistics a parity check compares. */
public enum Statistic {
  MEAN, P50, P90, MISSING_RATE;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
