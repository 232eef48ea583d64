package io.rehearsal.transforms.quality;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One statistic of one feature compared with its baseline: a result as data; the caller decides.
 * {@code allowed} is the difference that was accepted: the larger of the declared tolerance and the
 * testbed's sampling noise.
 */
public record ParityCheck(String column, Statistic statistic, Double testbed, Double baseline, Bound tolerance,
    double allowed, CheckStatus status, String message) {

  public boolean passed() {
    return status == CheckStatus.PASS;
  }

  /** This check in the common shape: check "parity <statistic>", scope the feature column. */
  public CheckResult result() {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("testbed", testbed);
    metrics.put("baseline", baseline);
    metrics.put("allowed", allowed);
    return new CheckResult("parity " + statistic.name().toLowerCase(Locale.ROOT), column, status, message, metrics);
  }
}
