package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.simulation.CatalogScenario;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks and binds the manifest's {@code simulation} section (the JSON Schema has checked its shape). */
final class SimulationRules {

  private SimulationRules() {}

  static void check(JsonNode doc, List<ManifestProblem> problems) {
    JsonNode sim = doc.get("simulation");
    if (sim == null) {
      return;
    }
    if (doc.get("evaluation") == null) {
      problems.add(new ManifestProblem("simulation", "the simulation re-scores both models at the evaluation cutoff, "
          + "but the manifest has no models, evaluation and gates sections; add them (see docs/metrics.md)"));
    }
    List<String> names = new ArrayList<>();
    doc.path("segments").forEach(s -> names.add(s.path("name").asText()));
    JsonNode chosen = sim.path("segments");
    for (int i = 0; i < chosen.size(); i++) {
      if (!names.contains(chosen.get(i).asText())) {
        problems.add(new ManifestProblem("simulation.segments[" + i + "]", "unknown segment '" + chosen.get(i).asText()
            + "'; declared segments: " + names));
      }
    }
    Set<String> seen = new HashSet<>();
    JsonNode scenarios = sim.path("scenarios");
    for (int i = 0; i < scenarios.size(); i++) {
      JsonNode s = scenarios.get(i);
      String at = "simulation.scenarios[" + i + "]";
      String name = s.path("name").asText();
      if (name.equals(CatalogScenario.UNCHANGED)) {
        problems.add(new ManifestProblem(at + ".name", "'" + CatalogScenario.UNCHANGED
            + "' is reserved for the catalog as it is, which every scenario is compared with; choose another name"));
      } else if (!name.isEmpty() && !seen.add(name)) {
        problems.add(new ManifestProblem(at + ".name", "duplicate scenario name '" + name + "'; names must be unique"));
      }
      if (s.get("new_items") == null && s.get("price_shift") == null && s.get("retire") == null) {
        problems.add(new ManifestProblem(at, "scenario '" + name + "' changes nothing; declare new_items, price_shift "
            + "or retire"));
      }
      Set<String> shifted = new HashSet<>();
      List<JsonNode> shifts = list(s.get("price_shift"));
      for (int j = 0; j < shifts.size(); j++) {
        String category = shifts.get(j).path("category").asText();
        if (!shifted.add(category)) {
          problems.add(new ManifestProblem(at + ".price_shift[" + j + "].category", "category '" + category
              + "' is shifted twice in scenario '" + name + "'; combine the shifts into one percent"));
        }
      }
    }
  }

  static SimulationSection bind(JsonNode doc, EvaluationSpec evaluation) {
    JsonNode sim = doc.get("simulation");
    if (sim == null) {
      return null;
    }
    List<String> segments = new ArrayList<>();
    sim.path("segments").forEach(n -> segments.add(n.asText()));
    if (segments.isEmpty() && evaluation != null) {
      segments.addAll(evaluation.segments());
    }
    List<CatalogScenario> scenarios = new ArrayList<>();
    for (JsonNode s : sim.path("scenarios")) {
      List<CatalogScenario.NewItems> added = new ArrayList<>();
      for (JsonNode n : list(s.get("new_items"))) {
        added.add(new CatalogScenario.NewItems(n.get("count").asInt(), n.get("category").asText(),
            n.has("price") ? n.get("price").asDouble() : null));
      }
      List<CatalogScenario.PriceShift> shifts = new ArrayList<>();
      for (JsonNode n : list(s.get("price_shift"))) {
        shifts.add(new CatalogScenario.PriceShift(n.get("category").asText(), n.get("percent").asDouble()));
      }
      JsonNode r = s.get("retire");
      CatalogScenario.Retirement retire = null;
      if (r != null) {
        List<String> items = new ArrayList<>();
        r.path("items").forEach(n -> items.add(n.asText()));
        retire = new CatalogScenario.Retirement(r.path("top_popular").asInt(0), items);
      }
      scenarios.add(new CatalogScenario(s.get("name").asText(), added, shifts, retire));
    }
    JsonNode cold = sim.path("cold_start");
    return new SimulationSection(segments, scenarios, cold.path("users").asInt(SimulationSection.DEFAULT_COLD_START_USERS),
        cold.path("max_failures").asLong(0));
  }

  /** A field that is one object or an array of them, as a list (empty when absent). */
  private static List<JsonNode> list(JsonNode n) {
    List<JsonNode> out = new ArrayList<>();
    if (n == null) {
      return out;
    }
    if (n.isArray()) {
      n.forEach(out::add);
    } else {
      out.add(n);
    }
    return out;
  }
}
