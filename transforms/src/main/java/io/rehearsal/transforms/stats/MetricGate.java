package io.rehearsal.transforms.stats;

/**
 * One declared gate: a metric, its role, the non-inferiority margin (absolute on the metric's scale, or
 * relative to the baseline mean), the one-sided alpha, and the minimum detectable effect and power that
 * decide whether a segment is large enough to judge (absolute on the metric's scale; null: the margin
 * on the metric's scale).
 */
public record MetricGate(String metric, Role role, double margin, boolean relativeMargin, double alpha,
    Double minimumDetectableEffect, double power) {

  public enum Role { PRIMARY, SECONDARY, GUARDRAIL }

  public MetricGate {
    if (!(margin >= 0)) {
      throw new IllegalArgumentException("Cannot gate on " + metric + ": margin must be >= 0, got " + margin);
    }
    if (!(alpha > 0 && alpha < 1)) {
      throw new IllegalArgumentException("Cannot gate on " + metric + ": alpha must be in (0, 1), got " + alpha);
    }
    if (minimumDetectableEffect != null && !(minimumDetectableEffect > 0)) {
      throw new IllegalArgumentException("Cannot gate on " + metric + ": minimum detectable effect must be > 0, got "
          + minimumDetectableEffect);
    }
    if (!(power > 0 && power < 1)) {
      throw new IllegalArgumentException("Cannot gate on " + metric + ": power must be in (0, 1), got " + power);
    }
  }

  /** The minimum detectable effect on the metric's scale: as declared, else the absolute margin. */
  public double effectToDetect(double absoluteMargin) {
    return minimumDetectableEffect != null ? minimumDetectableEffect : absoluteMargin;
  }

  /** The margin on the metric's scale for a baseline mean. */
  public double absoluteMargin(double baselineMean) {
    return relativeMargin ? margin * Math.abs(baselineMean) : margin;
  }
}
