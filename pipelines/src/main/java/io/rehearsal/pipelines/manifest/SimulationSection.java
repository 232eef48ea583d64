package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.simulation.CatalogScenario;
import java.util.List;

/**
 * The manifest's {@code simulation} section: the segments to re-score, the catalog scenarios (each measured
 * against the unchanged catalog) and the cold-start stress (synthetic users without history; the most
 * failures tolerated per model).
 */
public record SimulationSection(List<String> segments, List<CatalogScenario> scenarios, int coldStartUsers,
    long maxFailures) {

  public static final int DEFAULT_COLD_START_USERS = 100;

  public SimulationSection {
    segments = List.copyOf(segments);
    scenarios = List.copyOf(scenarios);
  }
}
