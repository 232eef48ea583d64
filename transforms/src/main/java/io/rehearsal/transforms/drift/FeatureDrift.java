package io.rehearsal.transforms.drift;

import io.rehearsal.transforms.checks.CheckResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The drift of one feature in one segment between the reference and the current window. Numeric features
 * carry KS, normalised Wasserstein-1 and mean/p50/p90 on both sides and the bin edges their PSI used;
 * categorical ones the categories that appeared or vanished. Every statistic is finite. {@code severity} is
 * the largest effect over its alert threshold (≥ 1 is an alert), comparable across features and kinds.
 * {@code psiGated} is false when the thresholds report PSI without letting it raise a level.
 */
public record FeatureDrift(String segment, String feature, Kind kind, long referenceRows, long currentRows,
    double referenceMissingRate, double currentMissingRate, double psi, double jensenShannon, double lInfinity,
    double chiSquare, double chiSquarePValue, Double ks, Double wasserstein, Double referenceMean, Double currentMean,
    Double referenceP50, Double currentP50, Double referenceP90, Double currentP90, List<Double> edges,
    List<String> appeared, List<String> vanished, DriftThresholds.Level level, double severity, String reason,
    boolean psiGated) {

  public enum Kind { NUMERIC, CATEGORICAL }

  /** The same drift under another segment and feature name (for drifts profiled under a composite key). */
  public FeatureDrift as(String segment, String feature) {
    return new FeatureDrift(segment, feature, kind, referenceRows, currentRows, referenceMissingRate, currentMissingRate,
        psi, jensenShannon, lInfinity, chiSquare, chiSquarePValue, ks, wasserstein, referenceMean, currentMean,
        referenceP50, currentP50, referenceP90, currentP90, edges, appeared, vanished, level, severity, reason,
        psiGated);
  }

  public double missingRateChange() {
    return currentMissingRate - referenceMissingRate;
  }

  /** This drift in the common check shape: check "drift", scope "<segment> <feature>", status from the level. */
  public CheckResult result() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("psi", psi);
    metrics.put("wasserstein", wasserstein);
    metrics.put("missing_rate_change", missingRateChange());
    metrics.put("severity", severity);
    String message = String.format(Locale.ROOT, "%s %s in segment '%s': PSI %.4f, severity %.3f%s", level, feature,
        segment, psi, severity, reason == null || reason.isBlank() ? "" : " (" + reason + ")");
    return new CheckResult("drift", segment + " " + feature, level.status(), message, metrics);
  }
}
