package io.rehearsal.pipelines.features;

import java.util.Locale;

/** The console summary of a backfill: one line per feature table written or kept. */
public final class BackfillSummary {

  private BackfillSummary() {}

  public static String format(BackfillResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nFeatures of run %s (%.1fs): feature set %s [%s], as-of days %s … %s%n",
        result.runId(), result.elapsedSeconds(), result.featureSetSource(), result.featureSetId(), result.asOfStart(),
        result.asOfEnd()));
    sb.append(String.format(Locale.ROOT, "  %-20s %-5s %-12s %8s %6s %10s  %s%n", "segment", "table", "mode",
        "computed", "kept", "rows", "path"));
    for (EntityBackfill t : result.tables()) {
      sb.append(String.format(Locale.ROOT, "  %-20s %-5s %-12s %8d %6d %,10d  %s (v%d)%n", t.segment(),
          t.entity().name().toLowerCase(Locale.ROOT), t.mode(), t.daysComputed(), t.daysKept(), t.rows(), t.path(),
          t.version()));
    }
    for (String warning : result.warnings()) {
      sb.append("  warning: ").append(warning).append('\n');
    }
    return sb.toString();
  }
}
