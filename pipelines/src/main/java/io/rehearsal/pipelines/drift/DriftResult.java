package io.rehearsal.pipelines.drift;

import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

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
  }

  /**
   * A cohort where a drifted feature concentrates: the features at WARN or ALERT in the whole segment that
   * alert in this cohort, the most severe first; score = their summed severity × the cohort's share of the
   * segment's current rows.
   */
  public record ImpactedCohort(CohortDrift cohort, List<FeatureDrift> features) {
    public double score() {
      return features.stream().mapToDouble(FeatureDrift::severity).sum() * cohort.share();
    }
  }

  /**
   * Where the drift concentrates: cohorts in which a feature that drifted in the whole segment alerts,
   * highest score first. A cohort whose alerts are on features stable in the segment is left out: in small
   * cohorts that is mostly sampling noise.
   */
  public List<ImpactedCohort> impactedCohorts() {
    List<ImpactedCohort> impacted = new ArrayList<>();
    for (EntityDrift e : entities) {
      for (CohortDrift c : e.cohorts()) {
        Set<String> drifted = new HashSet<>();
        e.current().getOrDefault(c.segment(), List.of()).stream()
            .filter(f -> f.level().flagged()).forEach(f -> drifted.add(f.feature()));
        List<FeatureDrift> features = c.drifts().stream()
            .filter(f -> f.level() == DriftThresholds.Level.ALERT && drifted.contains(f.feature()))
            .sorted(Comparator.comparingDouble(FeatureDrift::severity).reversed()).toList();
        if (!features.isEmpty()) {
          impacted.add(new ImpactedCohort(c, features));
        }
      }
    }
    impacted.sort(Comparator.comparingDouble(ImpactedCohort::score).reversed()
        .thenComparing(i -> i.cohort().segment()).thenComparing(i -> i.cohort().slice())
        .thenComparing(i -> i.cohort().value()));
    return impacted;
  }

  /** Per segment: alerts and warnings (reference → current), traffic-weighted PSI, change days, retraining. */
  public record SegmentDiagnosis(String segment, long alerts, long warnings, double weightedPsi, List<String> topFeatures,
      List<LocalDate> changeDays, LocalDate retrainFrom, LocalDate retrainTo, String retrainReason) {}

  /**
   * A feature's drift with its entity and traffic weight, for ranking: the score is the severity (the
   * largest effect over its alert threshold) times the segment's share of the current rows.
   */
  public record Ranked(String entity, FeatureDrift drift, double trafficShare) {
    /** PSI × traffic share; 0 when the feature's PSI is reported but not gated. */
    public double weightedPsi() {
      return drift.psiGated() ? drift.psi() * trafficShare : 0;
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
