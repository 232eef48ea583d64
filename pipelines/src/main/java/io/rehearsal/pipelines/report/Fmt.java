package io.rehearsal.pipelines.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

/** Number formatting for the report (Locale.ROOT throughout). */
final class Fmt {

  static final String NONE = "—";
  private static final MathContext FOUR = new MathContext(4, RoundingMode.HALF_UP);

  private Fmt() {}

  /** Four significant digits, plain notation, no trailing zeros: 0.1234, 0.02, 12.35, 1235; tiny values in e-notation. */
  static String metric(Double x) {
    if (x == null) {
      return NONE;
    }
    if (x == 0) {
      return "0";
    }
    double a = Math.abs(x);
    if (a < 1e-4 || a >= 1e7) {
      return String.format(Locale.ROOT, "%.3e", x);
    }
    BigDecimal d = BigDecimal.valueOf(x).round(FOUR).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
  }

  /** Like {@link #metric} with an explicit sign for positive values (deltas). */
  static String signed(Double x) {
    String s = metric(x);
    return x != null && x > 0 ? "+" + s : s;
  }

  static String ci(Double low, Double high) {
    return low == null && high == null ? NONE : "[" + metric(low) + ", " + metric(high) + "]";
  }

  /** Counts: integral values with thousands separators, otherwise {@link #metric}. */
  static String count(Double x) {
    if (x == null) {
      return NONE;
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) (double) x);
    }
    return metric(x);
  }

  static String seconds(Double x) {
    if (x == null) {
      return NONE;
    }
    if (x < 60) {
      return String.format(Locale.ROOT, "%.1f s", x);
    }
    long total = Math.round(x);
    return String.format(Locale.ROOT, "%dm %02ds", total / 60, total % 60);
  }

  /** An SVG coordinate: two decimals, Locale.ROOT. */
  static String px(double x) {
    return String.format(Locale.ROOT, "%.2f", x);
  }

  static String shortHash(String h) {
    return h == null ? NONE : h.length() > 12 ? h.substring(0, 12) : h;
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? NONE : s;
  }
}
