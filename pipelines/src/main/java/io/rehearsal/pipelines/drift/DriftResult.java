package io.rehearsal.pipelines.drift;

import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** What a drift run found and wrote: per entity the comparisons, per segment the diagnosis, table versions. */
public record DriftResult(String runId, String featureSetId, DriftSection section, List<EntityDrift> entities,
    List<SegmentDiagnosis> diagnoses, Map<String, Long> tableVersions, String tablesFolder, double elapsedSeconds) {

  /**
   * One entity's features: per segment the reference → current drifts (which carry the row counts), the
   * segment's share of the current window's rows, the series against the reference and against the previous series day, and
   * the bin edges used (keyed segment|entity|feature).
   */
  public record EntityDrift(String entity, Map<String, List<FeatureDrift>> current, Map<String, Double> trafficShare,
      Map<String, Map<LocalDate, List<FeatureDrift>>> vsReference,
      Map<String, Map<LocalDate, List<FeatureDrift>>> vsPrevious, Map<String, double[]> edges) {}

  /** Per segment: alerts and warnings (reference → current), traffic-weighted PSI, change days, retraining. */
  public record SegmentDiagnosis(String segment, long alerts, long warnings, double weightedPsi, List<String> topFeatures,
      List<LocalDate> changeDays, LocalDate retrainFrom, LocalDate retrainTo, String retrainReason) {}

  /**
   * A feature's drift with its entity and traffic weight, for ranking: the score is the severity (the
   * largest effect over its alert threshold) times the segment's share of the current rows.
   */
  public record Ranked(String entity, FeatureDrift drift, double trafficShare) {
    public double weightedPsi() {
      return drift.psi() * trafficShare;
    }

    public double score() {
      return drift.severity() * trafficShare;
    }
  }

  public boolean alerted() {
    return entities.stream().flatMap(e -> e.current().values().stream()).flatMap(List::stream)
        .anyMatch(f -> f.level() == DriftThresholds.Level.ALERT);
  }

  /** Every reference → current drift, most shifted first (by {@link Ranked#score}). */
  public List<Ranked> mostShifted() {
    List<Ranked> ranked = new ArrayList<>();
    for (EntityDrift e : entities) {
      e.current().forEach((segment, drifts) -> drifts.forEach(f ->
          ranked.add(new Ranked(e.entity(), f, e.trafficShare().get(segment)))));
    }
    ranked.sort(Comparator.comparingDouble(Ranked::score).reversed()
        .thenComparing(r -> r.drift().segment()).thenComparing(r -> r.drift().feature()));
    return ranked;
  }
}
