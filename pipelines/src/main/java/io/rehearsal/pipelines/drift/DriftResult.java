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
public record DriftResult(String runId, String featureSetId, DriftSection section, String reference,
    List<EntityDrift> entities,
    List<SegmentDiagnosis> diagnoses, Map<String, Long> tableVersions, String tablesFolder, double elapsedSeconds) {

  /**
   * One entity's features: per segment the reference → current drifts (which carry the row counts), the
   * segment's share of the current window's rows, the series against the reference and against the previous series day, and
   * the bin edges used (keyed segment|entity|feature) and the cohorts compared inside each segment.
   */
  public record EntityDrift(String entity, Map<String, List<FeatureDrift>> current, Map<String, Double> trafficShare,
      Map<String, Map<LocalDate, List<FeatureDrift>>> vsReference,
      Map<String, Map<LocalDate, List<FeatureDrift>>> vsPrevious, Map<String, double[]> edges,
      List<CohortDrift> cohorts) {}

  /**
   * One slice value inside a segment (e.g. country=DE of loyalty_members): its reference → current drifts
   * and its share of the segment's current rows. Cohorts with too few rows on either side are not compared.
   */
  public record CohortDrift(String entity, String segment, String slice, String value, long referenceRows,
      long currentRows, double share, List<FeatureDrift> drifts) {

    public long alerts() {
      return drifts.stream().filter(f -> f.level() == DriftThresholds.Level.ALERT).count();
    }

    public long warnings() {
      return drifts.stream().filter(f -> f.level() == DriftThresholds.Level.WARN).count();
    }

    /** The feature with the highest severity. */
    public FeatureDrift top() {
      return drifts.stream().max(Comparator.comparingDouble(FeatureDrift::severity)).orElse(null);
    }

    /** Ranking score: the summed severity of the alerting features, times the cohort's share of its segment. */
    public double score() {
      return drifts.stream().filter(f -> f.level() == DriftThresholds.Level.ALERT).mapToDouble(FeatureDrift::severity)
          .sum() * share;
    }
  }

  /** Cohorts where drift concentrates: those with alerts, by {@link CohortDrift#score}, highest first. */
  public List<CohortDrift> impactedCohorts() {
    List<CohortDrift> all = new ArrayList<>();
    entities.forEach(e -> e.cohorts().stream().filter(c -> c.alerts() > 0).forEach(all::add));
    all.sort(Comparator.comparingDouble(CohortDrift::score).reversed().thenComparing(CohortDrift::segment)
        .thenComparing(CohortDrift::slice).thenComparing(CohortDrift::value));
    return all;
  }

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
