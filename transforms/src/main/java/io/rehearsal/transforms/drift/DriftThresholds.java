package io.rehearsal.transforms.drift;

import io.rehearsal.transforms.checks.CheckStatus;
import java.io.Serializable;

/**
 * Effect-size thresholds of one feature: PSI (defaults 0.1 warn, 0.25 alert — the industry's rule of thumb),
 * Wasserstein-1 over the reference's standard deviation for numeric features (defaults 0.15 warn, 0.3
 * alert: for a pure shift it is the shift in standard deviations, like Cohen's d), and the absolute change
 * in missing rate (defaults 0.05 warn, 0.10 alert). The level is the highest any of them reaches. P-values
 * are reported beside them but never raise a level: on a million rows a negligible shift is "significant".
 */
public record DriftThresholds(double psiWarn, double psiAlert, double wassersteinWarn, double wassersteinAlert,
    double missingRateWarn, double missingRateAlert) implements Serializable {

  public static final DriftThresholds DEFAULT = new DriftThresholds(0.1, 0.25, 0.15, 0.3, 0.05, 0.10);

  public DriftThresholds {
    check("psi", psiWarn, psiAlert);
    check("wasserstein", wassersteinWarn, wassersteinAlert);
    check("missing_rate", missingRateWarn, missingRateAlert);
  }

  private static void check(String name, double warn, double alert) {
    if (!(warn > 0)) {
      throw new IllegalArgumentException(name + " warn threshold must be > 0, got " + warn);
    }
    if (alert < warn) {
      throw new IllegalArgumentException(name + " alert threshold must be ≥ its warn threshold " + warn + ", got "
          + alert);
    }
  }

  /**
   * The same thresholds with PSI reported but never raising a level: for values that sit on a few atoms that
   * move a little (a global model's scores, the same ten items for everyone), any move crosses a decile
   * edge and PSI explodes, while the normalized Wasserstein distance measures how far they moved.
   */
  public DriftThresholds withoutPsiGate() {
    return new DriftThresholds(Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY, wassersteinWarn, wassersteinAlert,
        missingRateWarn, missingRateAlert);
  }

  public boolean gatesPsi() {
    return Double.isFinite(psiAlert);
  }

  /**
   * How far over its thresholds a drift is; NOT_COMPARABLE when a side has nothing to compare (an empty
   * window) or a statistic is undefined: never an alert, and the reason says why.
   */
  public enum Level {
    NOT_COMPARABLE, OK, WARN, ALERT;

    /** WARN or ALERT: a drift worth showing. */
    public boolean flagged() {
      return this == WARN || this == ALERT;
    }

    /**
     * The level as a check status: WARN and ALERT are findings about the data, reported and never gated (WARN; the
     * level and severity say how far), OK passes, and a drift that cannot be compared was not checked (SKIPPED).
     */
    public CheckStatus status() {
      return switch (this) {
        case NOT_COMPARABLE -> CheckStatus.SKIPPED;
        case OK -> CheckStatus.PASS;
        case WARN, ALERT -> CheckStatus.WARN;
      };
    }
  }

  /** The largest effect relative to its alert threshold: 1 or more is an alert. */
  public double severity(double psi, Double wasserstein, double missingRateChange) {
    double w = wasserstein == null ? 0 : wasserstein / wassersteinAlert;
    return Math.max(Math.max(psi / psiAlert, w), Math.abs(missingRateChange) / missingRateAlert);
  }

  /** The level of a drift; {@code wasserstein} is null for categorical features. */
  public Level level(double psi, Double wasserstein, double missingRateChange) {
    if (Double.isNaN(psi) || Double.isNaN(missingRateChange) || (wasserstein != null && Double.isNaN(wasserstein))) {
      return Level.NOT_COMPARABLE;
    }
    double m = Math.abs(missingRateChange);
    double w = wasserstein == null ? 0 : wasserstein;
    if (psi >= psiAlert || w >= wassersteinAlert || m >= missingRateAlert) {
      return Level.ALERT;
    }
    if (psi >= psiWarn || w >= wassersteinWarn || m >= missingRateWarn) {
      return Level.WARN;
    }
    return Level.OK;
  }
}
