package io.rehearsal.transforms.stats;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A guardrail on a per-segment aggregate of the candidate (not a per-user metric): catalog coverage@k,
 * scoring failures, the share of users served by the cold-start fallback, or scoring time relative to the
 * baseline. Bounds are absolute ({@code min}, {@code max}) and/or relative to the baseline's value
 * ({@code minRatio}, {@code maxRatio}); the check is deterministic: the candidate's value either keeps
 * within every bound or the guardrail FAILs.
 */
public record Guardrail(String metric, Double min, Double max, Double minRatio, Double maxRatio) {

  public Guardrail {
    if (min == null && max == null && minRatio == null && maxRatio == null) {
      throw new IllegalArgumentException("Cannot guard " + metric + ": set at least one of min, max, "
          + "min_ratio_to_baseline, max_ratio_to_baseline");
    }
  }

  public record Check(String segment, Guardrail guardrail, double baseline, double candidate,
      CheckStatus status, String message) {

    /** This check in the common shape: check "guardrail <metric>", scope the segment. */
    public CheckResult result() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("baseline", baseline);
      metrics.put("candidate", candidate);
      return new CheckResult("guardrail " + guardrail.metric(), segment, status, message, metrics);
    }
  }

  public Check check(String segment, double baseline, double candidate) {
    List<String> broken = new ArrayList<>();
    if (min != null && candidate < min) {
      broken.add("below the minimum " + format(min));
    }
    if (max != null && candidate > max) {
      broken.add("above the maximum " + format(max));
    }
    Double ratio = baseline == 0 ? null : candidate / baseline;
    if (minRatio != null && (ratio == null ? candidate < 0 : ratio < minRatio)) {
      broken.add("below " + format(minRatio) + " × baseline");
    }
    if (maxRatio != null && (ratio == null ? candidate > 0 : ratio > maxRatio)) {
      broken.add("above " + format(maxRatio) + " × baseline");
    }
    String observed = String.format(Locale.ROOT, "candidate %s, baseline %s%s", format(candidate), format(baseline),
        ratio == null ? "" : String.format(Locale.ROOT, " (ratio %.3f)", ratio));
    if (broken.isEmpty()) {
      return new Check(segment, this, baseline, candidate, CheckStatus.PASS,
          String.format(Locale.ROOT, "PASS guardrail %s in segment '%s': %s, within %s", metric, segment, observed,
              bounds()));
    }
    return new Check(segment, this, baseline, candidate, CheckStatus.FAIL,
        String.format(Locale.ROOT, "FAIL guardrail %s in segment '%s': %s, %s", metric, segment, observed,
            String.join(" and ", broken)));
  }

  /** "min 0.05, max 3 × baseline". */
  public String bounds() {
    List<String> parts = new ArrayList<>();
    if (min != null) {
      parts.add("min " + format(min));
    }
    if (max != null) {
      parts.add("max " + format(max));
    }
    if (minRatio != null) {
      parts.add("min " + format(minRatio) + " × baseline");
    }
    if (maxRatio != null) {
      parts.add("max " + format(maxRatio) + " × baseline");
    }
    return String.join(", ", parts);
  }

  private static String format(double v) {
    return String.format(Locale.ROOT, "%.6g", v).replaceAll("\\.?0+$", "").replaceAll("\\.?0+e", "e");
  }
}
