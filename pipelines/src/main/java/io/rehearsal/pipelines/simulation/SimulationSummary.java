package io.rehearsal.pipelines.simulation;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The plain-text summary of a simulation run: a sensitivity table per segment, cold start, the failure gate. */
public final class SimulationSummary {

  private SimulationSummary() {}

  public static String format(SimulationResult r) {
    StringBuilder sb = new StringBuilder("\nSimulation (run ").append(r.runId()).append(")\n");
    Set<String> segments = new LinkedHashSet<>();
    r.measures().forEach(m -> segments.add(m.segment()));
    for (String segment : segments) {
      List<SimulationResult.Measure> of = r.measures().stream().filter(m -> m.segment().equals(segment)).toList();
      String ndcg = first(of, "ndcg@");
      String revenue = first(of, "revenue@");
      String churn = first(of, "list_churn@");
      sb.append("  ").append(segment).append('\n');
      sb.append(String.format(Locale.ROOT, "    %-22s %-10s %-20s %-22s %-15s %-16s %s%n", "scenario", "model", ndcg,
          revenue, churn, "injected SKUs", "invalid lists"));
      Set<String> scenarios = new LinkedHashSet<>();
      of.forEach(m -> scenarios.add(m.scenario()));
      for (String scenario : scenarios) {
        for (String model : List.of("baseline", "candidate")) {
          SimulationResult.Measure n = r.measure(segment, scenario, model, ndcg);
          if (n == null) {
            continue;
          }
          SimulationResult.Measure v = r.measure(segment, scenario, model, revenue);
          SimulationResult.Measure c = r.measure(segment, scenario, model, churn);
          SimulationResult.Measure s = r.measure(segment, scenario, model, "injected_skus_surfaced");
          SimulationResult.Measure f = r.measure(segment, scenario, model, "invalid_lists");
          sb.append(String.format(Locale.ROOT, "    %-22s %-10s %-20s %-22s %-15s %-16s %d%n", scenario, model,
              String.format(Locale.ROOT, "%.4f (%+.4f)", n.value(), n.delta()),
              v == null ? "" : String.format(Locale.ROOT, "%.2f (%+.2f)", v.value(), v.delta()),
              c == null ? "" : String.format(Locale.ROOT, "%.3f", c.value()),
              s == null ? "" : String.format(Locale.ROOT, "%d", (long) s.value()), f == null ? 0 : (long) f.value()));
        }
      }
    }
    for (SimulationResult.ColdStart c : r.coldStarts()) {
      sb.append(String.format(Locale.ROOT, "  cold start %s, %s: %d of %d users without history got a valid list "
              + "(%d from the fallback)%s%n", c.segment(), c.model(), c.validLists(), c.users(), c.byFallback(),
          c.problems().isEmpty() ? "" : "; failures: " + c.problems()));
    }
    List<String> failed = new ArrayList<>();
    for (SimulationResult.Check c : r.checks()) {
      if (!c.passed()) {
        failed.add(String.format(Locale.ROOT, "%s in %s: %d failures (%d cold start, %d invalid served lists) > %d",
            c.model(), c.segment(), c.failures(), c.coldStartFailures(), c.scenarioFailures(), c.maxFailures()));
      }
    }
    sb.append(failed.isEmpty()
        ? String.format(Locale.ROOT, "Simulation: PASS — every model gave valid lists (at most %d failures allowed)%n",
            r.maxFailures())
        : "Simulation: FAIL — " + String.join("; ", failed) + "\n");
    sb.append("Tables: ").append(r.tablesFolder()).append(String.format(Locale.ROOT, " (%.1fs)%n", r.elapsedSeconds()));
    return sb.toString();
  }

  private static String first(List<SimulationResult.Measure> measures, String prefix) {
    return measures.stream().map(SimulationResult.Measure::measure).filter(m -> m.startsWith(prefix)).findFirst()
        .orElse(prefix + "?");
  }
}
