package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Checks and binds the manifest's {@code drift} section (the JSON Schema has checked its shape). */
final class DriftRules {

  private DriftRules() {}

  static void check(JsonNode doc, List<ManifestProblem> problems) {
    JsonNode d = doc.get("drift");
    if (d == null) {
      return;
    }
    if (doc.get("features") == null) {
      problems.add(new ManifestProblem("drift", "drift compares the features of the feature set, but the manifest has "
          + "no features section; add one (features: { as_of: { start: …, end: … } } uses the default feature set)"));
    }
    List<String> names = new ArrayList<>();
    doc.path("segments").forEach(s -> names.add(s.path("name").asText()));
    JsonNode chosen = d.path("segments");
    for (int i = 0; i < chosen.size(); i++) {
      if (!names.contains(chosen.get(i).asText())) {
        problems.add(new ManifestProblem("drift.segments[" + i + "]", "unknown segment '" + chosen.get(i).asText()
            + "'; declared segments: " + names));
      }
    }
    for (String range : List.of("reference", "current", "series")) {
      if (d.path(range).get("start") == null || d.path(range).get("end") == null) {
        continue; // required ones are reported by the schema
      }
      LocalDate start = ManifestLoader.date(d.path(range).get("start"), "drift." + range + ".start", problems);
      LocalDate end = ManifestLoader.date(d.path(range).get("end"), "drift." + range + ".end", problems);
      if (start != null && end != null && start.isAfter(end)) {
        problems.add(new ManifestProblem("drift." + range, "start " + start + " must not be after end " + end
            + " (both days are included)"));
      }
    }
    checkThresholds(d.get("thresholds"), "drift.thresholds", DriftThresholds.DEFAULT, problems);
    DriftThresholds defaults = thresholdsOr(d.get("thresholds"), DriftThresholds.DEFAULT);
    for (Iterator<Map.Entry<String, JsonNode>> it = d.path("overrides").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      checkThresholds(e.getValue(), "drift.overrides." + e.getKey(), defaults, problems);
    }
  }

  /** The three threshold pairs of the manifest, each (json field, getter of the default warn, of the alert). */
  private static final List<String> EFFECTS = List.of("psi", "wasserstein", "missing_rate");

  private static double[] pair(JsonNode t, String effect, DriftThresholds defaults) {
    double[] d = switch (effect) {
      case "psi" -> new double[] {defaults.psiWarn(), defaults.psiAlert()};
      case "wasserstein" -> new double[] {defaults.wassersteinWarn(), defaults.wassersteinAlert()};
      default -> new double[] {defaults.missingRateWarn(), defaults.missingRateAlert()};
    };
    return new double[] {t.path(effect).path("warn").asDouble(d[0]), t.path(effect).path("alert").asDouble(d[1])};
  }

  private static void checkThresholds(JsonNode t, String at, DriftThresholds defaults, List<ManifestProblem> problems) {
    if (t == null) {
      return;
    }
    for (String effect : EFFECTS) {
      double[] p = pair(t, effect, defaults);
      if (p[1] < p[0]) {
        problems.add(new ManifestProblem(at + "." + effect, "alert " + p[1] + " must not be below warn " + p[0]));
      }
    }
  }

  private static DriftThresholds thresholdsOr(JsonNode t, DriftThresholds defaults) {
    if (t == null) {
      return defaults;
    }
    double[] psi = pair(t, "psi", defaults);
    double[] w = pair(t, "wasserstein", defaults);
    double[] m = pair(t, "missing_rate", defaults);
    if (psi[1] < psi[0] || w[1] < w[0] || m[1] < m[0]) {
      return defaults; // reported by check
    }
    return new DriftThresholds(psi[0], psi[1], w[0], w[1], m[0], m[1]);
  }

  static DriftSection bind(JsonNode doc, List<SegmentSpec> segments, FeaturesSection features) {
    JsonNode d = doc.get("drift");
    if (d == null) {
      return null;
    }
    List<String> chosen = new ArrayList<>();
    d.path("segments").forEach(n -> chosen.add(n.asText()));
    if (chosen.isEmpty()) {
      if (features != null) {
        chosen.addAll(features.segments());
      } else {
        segments.forEach(s -> chosen.add(s.name()));
      }
    }
    List<Entity> entities = new ArrayList<>();
    d.path("entities").forEach(n -> entities.add(Entity.valueOf(n.asText().toUpperCase(Locale.ROOT))));
    if (entities.isEmpty()) {
      entities.addAll(List.of(Entity.USER, Entity.ITEM));
    }
    DriftThresholds defaults = thresholdsOr(d.get("thresholds"), DriftThresholds.DEFAULT);
    Map<String, DriftThresholds> overrides = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = d.path("overrides").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      overrides.put(e.getKey(), thresholdsOr(e.getValue(), defaults));
    }
    List<String> cohorts = new ArrayList<>(DriftSection.DEFAULT_COHORTS);
    if (d.has("cohorts")) {
      cohorts.clear();
      d.get("cohorts").forEach(n -> cohorts.add(n.asText()));
    }
    JsonNode series = d.get("series");
    return new DriftSection(chosen, entities, day(d.get("reference").get("start")), day(d.get("reference").get("end")),
        day(d.get("current").get("start")), day(d.get("current").get("end")),
        series == null ? null : day(series.get("start")), series == null ? null : day(series.get("end")),
        series == null ? 7 : series.path("step_days").asInt(7), defaults, overrides, cohorts,
        d.path("predictions").asBoolean(true));
  }

  private static LocalDate day(JsonNode n) {
    return LocalDate.parse(n.asText());
  }
}
