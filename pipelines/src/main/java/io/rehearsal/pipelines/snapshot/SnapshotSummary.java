package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.slicing.FidelitySummary;
import java.util.Locale;

/** The per-segment text summary printed after a snapshot. */
public final class SnapshotSummary {

  private SnapshotSummary() {}

  public static String format(SnapshotResult result, String warehouse) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nSnapshots of run %s (%.1fs), written to %s%n", result.runId(),
        result.elapsedSeconds(), SnapshotTables.path(warehouse, "")));
    if (result.quarantinedEvents() > 0) {
      sb.append(String.format(Locale.ROOT, "%n  warning: %,d input events set aside, not in any snapshot (%s): %s%n",
          result.quarantinedEvents(), result.quarantineTable(), String.join(", ", result.quarantined().entrySet().stream()
              .filter(e -> e.getValue() > 0).map(e -> String.format(Locale.ROOT, "%,d %s", e.getValue(), e.getKey()))
              .toList())));
    }
    for (SegmentSnapshot s : result.segments()) {
      sb.append(String.format(Locale.ROOT, "%n  %s  [%s]%n", s.segment(), s.snapshotId()));
      sb.append(String.format(Locale.ROOT, "    users %,d of %,d eligible, events %,d, items %,d%s%n",
          s.sampledUsers(), s.eligibleUsers(), s.events(), s.items(),
          s.danglingItemRefs() == 0 ? "" : String.format(Locale.ROOT, ", %,d item ids missing from the catalog", s.danglingItemRefs())));
      if (s.usersMissingFromUsersTable() > 0) {
        sb.append(String.format(Locale.ROOT, "    warning: %,d users with events in the window have no row in the users table and were not eligible%n",
            s.usersMissingFromUsersTable()));
      }
      sb.append(String.format(Locale.ROOT, "    %-34s %14s %14s%n", "fidelity", "population", "sample"));
      for (FidelitySummary.Metric m : s.fidelity()) {
        sb.append(String.format(Locale.ROOT, "    %-34s %14s %14s%n", m.name(), number(m.population()), number(m.sample())));
      }
      sb.append("    content hash (events) ").append(s.contentHashes().get(SnapshotTables.EVENTS), 0, 16).append('\n');
    }
    return sb.toString();
  }

  private static String number(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return String.format(Locale.ROOT, "%,d", (long) v);
    }
    return String.format(Locale.ROOT, "%,.3f", v);
  }
}
