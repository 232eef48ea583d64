package io.rehearsal.pipelines.simulation;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a simulation run found and wrote: per segment × scenario × model the measures against the
 * unchanged catalog, the cold-start stress per segment × model, and per segment × model the failure gate.
 */
public record SimulationResult(String runId, int coldStartUsers, long maxFailures, List<Measure> measures,
    List<ColdStart> coldStarts, List<Check> checks, Map<String, Long> tableVersions, String tablesFolder,
    double elapsedSeconds) {

  public SimulationResult {
    measures = List.copyOf(measures);
    coldStarts = List.copyOf(coldStarts);
    checks = List.copyOf(checks);
  }

  /** One measure of one model under one scenario; {@code unchanged} is its value on the unchanged catalog. */
  public record Measure(String segment, String scenario, String model, String measure, double value, double unchanged) {
    public double delta() {
      return value - unchanged;
    }

    /** Relative change, or null when the unchanged value is 0. */
    public Double relativeDelta() {
      return unchanged == 0 ? null : (value - unchanged) / Math.abs(unchanged);
    }
  }

  /**
   * Synthetic users without history scored by one model: how many got a valid list, how many of those came
   * from the fallback, and the users without a valid list by problem.
   */
  public record ColdStart(String segment, String model, long users, long validLists, long byFallback,
      Map<String, Long> problems) {
    public long failures() {
      return users - validLists;
    }
  }

  /** A model's failures in a segment: cold-start users without a valid list plus invalid served lists. */
  public record Check(String segment, String model, long coldStartFailures, long scenarioFailures, long maxFailures) {
    public long failures() {
      return coldStartFailures + scenarioFailures;
    }

    public boolean passed() {
      return failures() <= maxFailures;
    }

    /** This check in the common shape: check "simulation failures", scope "<segment> <model>". */
    public CheckResult result() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("cold_start_failures", (double) coldStartFailures);
      metrics.put("scenario_failures", (double) scenarioFailures);
      metrics.put("max_failures", (double) maxFailures);
      return new CheckResult("simulation failures", segment + " " + model, CheckStatus.of(passed()),
          String.format(Locale.ROOT, "%s in segment '%s': %d failure(s) (%d cold-start, %d scenario), at most %d "
              + "allowed", model, segment, failures(), coldStartFailures, scenarioFailures, maxFailures), metrics);
    }
  }

  public boolean passed() {
    return checks.stream().allMatch(Check::passed);
  }

  /** The measure, or null. */
  public Measure measure(String segment, String scenario, String model, String measure) {
    return measures.stream().filter(m -> m.segment().equals(segment) && m.scenario().equals(scenario)
        && m.model().equals(model) && m.measure().equals(measure)).findFirst().orElse(null);
  }
}
