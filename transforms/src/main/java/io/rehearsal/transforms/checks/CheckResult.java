package io.rehearsal.transforms.checks;

import io.rehearsal.transforms.OrderedMaps;
import java.util.Map;
import java.util.Objects;

/**
 * One check's outcome as data, the shape every check maps onto (parity statistics, KPI gates, guardrails, drift
 * levels, simulation limits, the run's own checks): what was checked, where (segment, entity, feature …), its
 * status, a message with the actual values, and the numbers behind it. The caller (a gate, the CLI, a report)
 * decides what a status means; checks never throw.
 */
public record CheckResult(String check, String scope, CheckStatus status, String message, Map<String, Double> metrics) {

  public CheckResult {
    Objects.requireNonNull(check, "check");
    Objects.requireNonNull(status, "status");
    metrics = OrderedMaps.copyOf(metrics);
  }

  public static CheckResult of(String check, String scope, CheckStatus status, String message) {
    return new CheckResult(check, scope, status, message, Map.of());
  }

  public boolean passed() {
    return status == CheckStatus.PASS;
  }
}
