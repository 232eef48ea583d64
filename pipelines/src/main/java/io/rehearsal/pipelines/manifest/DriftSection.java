package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest's {@code drift} section: segments and entities to compare, the reference and current as-of
 * windows (inclusive), the optional time series (as-of days start, start + step, … ≤ end), default
 * thresholds and per-feature overrides (names or globs where only {@code *} is special; the first match in
 * declaration order wins), the user cohorts to compare inside each segment (items by category) and whether
 * the built-in models' lists are compared too.
 */
public record DriftSection(List<String> segments, List<Entity> entities, LocalDate referenceStart,
    LocalDate referenceEnd, LocalDate currentStart, LocalDate currentEnd, LocalDate seriesStart, LocalDate seriesEnd,
    int seriesStepDays, DriftThresholds thresholds, Map<String, DriftThresholds> overrides, List<String> cohorts,
    boolean predictions) {

  /** The user slices compared by default inside each segment. */
  public static final List<String> DEFAULT_COHORTS = List.of("country", "device", "new_vs_returning");

  public DriftSection {
    segments = List.copyOf(segments);
    cohorts = List.copyOf(cohorts);
    entities = List.copyOf(entities);
    overrides = OrderedMaps.copyOf(overrides);
  }

  public boolean hasSeries() {
    return seriesStart != null;
  }

  /** The as-of days of the time series (empty without one). */
  public List<LocalDate> seriesDays() {
    List<LocalDate> days = new ArrayList<>();
    if (hasSeries()) {
      for (LocalDate d = seriesStart; !d.isAfter(seriesEnd); d = d.plusDays(seriesStepDays)) {
        days.add(d);
      }
    }
    return days;
  }

  public DriftThresholds thresholdsOf(String feature) {
    DriftThresholds override = overrideOf(feature);
    return override != null ? override : thresholds;
  }

  /** The first override matching the feature, or null. */
  public DriftThresholds overrideOf(String feature) {
    for (Map.Entry<String, DriftThresholds> e : overrides.entrySet()) {
      if (ParitySection.matches(e.getKey(), feature)) {
        return e.getValue();
      }
    }
    return null;
  }
}
