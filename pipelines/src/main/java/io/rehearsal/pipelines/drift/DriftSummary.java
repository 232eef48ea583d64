package io.rehearsal.pipelines.drift;

import io.rehearsal.pipelines.manifest.DriftSection;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.drift.FeatureDrift;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The console summary of a drift run: what shifted most, where, when, and what to retrain on. */
public final class DriftSummary {

  static final int TOP = 15;
  static final int TOP_COHORTS = 8;

  private DriftSummary() {}

  public static String format(DriftResult r) {
    DriftSection d = r.section();
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nDrift of run %s (%.1fs): reference %s, current %s … %s, feature set %s%n",
        r.runId(), r.elapsedSeconds(), r.reference(), d.currentStart(), d.currentEnd(), r.featureSetId()));

    sb.append(String.format(Locale.ROOT, "%nMost shifted features (severity = largest effect over its alert threshold, "
        + "× the segment's share of current rows)%n"));
    sb.append(String.format(Locale.ROOT, "  %-7s %-10s %-20s %-30s %8s %8s %8s %7s %7s %7s %9s%n", "level", "entity",
        "segment", "feature", "severity", "weighted", "PSI", "KS", "W1/sd", "JS", "Δmissing"));
    List<DriftResult.Ranked> ranked = r.mostShifted();
    for (DriftResult.Ranked x : ranked.subList(0, Math.min(TOP, ranked.size()))) {
      FeatureDrift f = x.drift();
      sb.append(String.format(Locale.ROOT, "  %-7s %-10s %-20s %-30s %8.3f %8.3f %8.4f %7s %7s %7.4f %+9.4f%n",
          f.level(), x.entity(), f.segment(), f.feature(), f.severity(), x.score(), f.psi(), fixed(f.ks()),
          fixed(f.wasserstein()), f.jensenShannon(), f.missingRateChange()));
    }
    for (DriftResult.EntityDrift e : r.entities()) {
      e.current().forEach((segment, drifts) -> drifts.stream()
          .filter(f -> !f.appeared().isEmpty() || !f.vanished().isEmpty())
          .forEach(f -> sb.append(String.format(Locale.ROOT, "  %s %s %s: appeared %s, vanished %s%n", segment,
              e.entity(), f.feature(), f.appeared(), f.vanished()))));
    }

    sb.append(String.format(Locale.ROOT, "%nImpacted segments%n"));
    for (DriftResult.SegmentDiagnosis g : r.diagnoses()) {
      sb.append(String.format(Locale.ROOT, "  %-20s %3d alerts %3d warnings, weighted PSI %.4f%s%n", g.segment(),
          g.alerts(), g.warnings(), g.weightedPsi(), g.topFeatures().isEmpty() ? ""
              : "; top: " + String.join(", ", g.topFeatures())));
    }

    List<DriftResult.ImpactedCohort> cohorts = r.impactedCohorts();
    if (!cohorts.isEmpty()) {
      sb.append(String.format(Locale.ROOT, "%nImpacted cohorts (features drifted in the segment that alert in the cohort; "
          + "severity × share of the segment's rows)%n"));
      for (DriftResult.ImpactedCohort i : cohorts.subList(0, Math.min(TOP_COHORTS, cohorts.size()))) {
        DriftResult.CohortDrift c = i.cohort();
        FeatureDrift top = i.features().get(0);
        sb.append(String.format(Locale.ROOT, "  %-20s %-5s %-28s %5.1f%% of rows  %2d alerting: %s (severity %.2f, PSI "
                + "%.3f)%s%n", c.segment(), c.entity(), c.slice() + "=" + c.value(), 100 * c.share(), i.features().size(),
            top.feature(), top.severity(), top.psi(), i.features().size() > 1 ? ", " + String.join(", ",
                i.features().subList(1, Math.min(4, i.features().size())).stream().map(FeatureDrift::feature).toList())
                + (i.features().size() > 4 ? ", …" : "") : ""));
      }
    }

    if (d.hasSeries()) {
      sb.append(String.format(Locale.ROOT, "%nSeries every %d days: features at WARN or ALERT against the reference "
          + "(and against the previous day)%n", d.seriesStepDays()));
      for (DriftResult.EntityDrift e : r.entities()) {
        for (Map.Entry<String, Map<LocalDate, List<FeatureDrift>>> s : e.vsReference().entrySet()) {
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "  %-20s %-5s", s.getKey(), e.entity()));
          for (Map.Entry<LocalDate, List<FeatureDrift>> day : s.getValue().entrySet()) {
            List<FeatureDrift> prev = e.vsPrevious().get(s.getKey()).get(day.getKey());
            line.append(String.format(Locale.ROOT, " %s %d/%d", day.getKey().toString().substring(5),
                flagged(day.getValue()), prev == null ? 0 : flagged(prev)));
          }
          sb.append(line).append('\n');
        }
      }
      sb.append(String.format(Locale.ROOT, "%nSuggested retraining windows%n"));
      for (DriftResult.SegmentDiagnosis g : r.diagnoses()) {
        sb.append(String.format(Locale.ROOT, "  %-20s %s: %s%n", g.segment(), g.retrainFrom() == null ? "—"
            : g.retrainFrom() + " … " + g.retrainTo(), g.retrainReason()));
      }
    }
    long alerts = r.diagnoses().stream().mapToLong(DriftResult.SegmentDiagnosis::alerts).sum();
    long warnings = r.diagnoses().stream().mapToLong(DriftResult.SegmentDiagnosis::warnings).sum();
    long notComparable = r.entities().stream().flatMap(e -> e.current().values().stream()).flatMap(List::stream)
        .filter(f -> f.level() == DriftThresholds.Level.NOT_COMPARABLE).count();
    sb.append(String.format(Locale.ROOT, "%nDrift: %s — %d alerts, %d warnings%s%n", alerts > 0 ? "ALERT"
        : warnings > 0 ? "WARN" : "OK", alerts, warnings, notComparable == 0 ? ""
        : String.format(Locale.ROOT, ", %d features not comparable (an empty window: see their reason)", notComparable)));
    sb.append(String.format(Locale.ROOT, "  tables: %s{%s}%n", r.tablesFolder(), String.join(",",
        r.tableVersions().keySet())));
    return sb.toString();
  }

  private static long flagged(List<FeatureDrift> drifts) {
    return drifts.stream().filter(f -> f.level().flagged()).count();
  }

  private static String fixed(Double v) {
    return v == null ? "—" : String.format(Locale.ROOT, "%.4f", v);
  }
}
