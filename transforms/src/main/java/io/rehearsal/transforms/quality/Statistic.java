package io.rehearsal.transforms.quality;

import java.util.Locale;

/** The per-column statistics a parity check compares. */
public enum Statistic {
  MEAN, P50, P90, MISSING_RATE;

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
