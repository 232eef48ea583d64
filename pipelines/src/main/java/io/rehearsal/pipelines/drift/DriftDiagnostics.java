package io.rehearsal.pipelines.drift;

import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Per segment: how much drifted (alerts, warnings, traffic-weighted PSI, the top features) and when — a
 * series day is a change day when any feature alerts against the previous series day — and the suggested
 * retraining window: from the latest change day (the start of the latest stable period) to the end of the
 * series, or the whole series when nothing changed.
 */
final class DriftDiagnostics {

  static final int TOP_FEATURES = 5;

  private DriftDiagnostics() {}

  static List<DriftResult.SegmentDiagnosis> diagnose(List<DriftResult.EntityDrift> entities, List<LocalDate> series) {
    Map<String, List<DriftResult.Ranked>> bySegment = new TreeMap<>();
    Map<String, TreeMap<LocalDate, List<String>>> changes = new TreeMap<>();
    for (DriftResult.EntityDrift e : entities) {
      e.current().forEach((segment, drifts) -> drifts.forEach(f -> bySegment.computeIfAbsent(segment,
          k -> new ArrayList<>()).add(new DriftResult.Ranked(e.entity(), f, e.trafficShare().get(segment)))));
      e.vsPrevious().forEach((segment, days) -> days.forEach((day, drifts) -> {
        for (FeatureDrift f : drifts) {
          if (f.level() == DriftThresholds.Level.ALERT) {
            changes.computeIfAbsent(segment, k -> new TreeMap<>()).computeIfAbsent(day, k -> new ArrayList<>())
                .add(e.entity() + "." + f.feature());
          }
        }
      }));
    }
    List<DriftResult.SegmentDiagnosis> diagnoses = new ArrayList<>();
    for (Map.Entry<String, List<DriftResult.Ranked>> s : bySegment.entrySet()) {
      List<DriftResult.Ranked> ranked = new ArrayList<>(s.getValue());
      ranked.sort(Comparator.comparingDouble((DriftResult.Ranked r) -> r.drift().severity()).reversed()
          .thenComparing(r -> r.drift().feature()));
      long alerts = ranked.stream().filter(r -> r.drift().level() == DriftThresholds.Level.ALERT).count();
      long warnings = ranked.stream().filter(r -> r.drift().level() == DriftThresholds.Level.WARN).count();
      double weighted = ranked.stream().mapToDouble(DriftResult.Ranked::weightedPsi).sum();
      List<String> top = ranked.stream().filter(r -> r.drift().level().flagged()).limit(TOP_FEATURES)
          .map(r -> r.entity() + "." + r.drift().feature()).toList();
      TreeMap<LocalDate, List<String>> changed = changes.getOrDefault(s.getKey(), new TreeMap<>());
      LocalDate from = null;
      LocalDate to = null;
      String reason;
      if (series.isEmpty()) {
        reason = "no suggestion: declare drift.series to find when the features changed";
      } else if (changed.isEmpty()) {
        from = series.get(0);
        to = series.get(series.size() - 1);
        reason = "no change between consecutive series days: the whole series " + from + " … " + to + " is stable";
      } else {
        from = changed.lastKey();
        to = series.get(series.size() - 1);
        List<String> features = changed.lastEntry().getValue();
        reason = "the latest stable period starts at the change on " + from + " ("
            + String.join(", ", features.subList(0, Math.min(3, features.size())))
            + (features.size() > 3 ? " and " + (features.size() - 3) + " more" : "") + " alerted against the previous "
            + "series day)";
      }
      diagnoses.add(new DriftResult.SegmentDiagnosis(s.getKey(), alerts, warnings, weighted, top,
          new ArrayList<>(new TreeSet<>(changed.keySet())), from, to, reason));
    }
    diagnoses.sort(Comparator.comparingDouble(DriftResult.SegmentDiagnosis::weightedPsi).reversed()
        .thenComparing(DriftResult.SegmentDiagnosis::segment));
    return diagnoses;
  }
}
