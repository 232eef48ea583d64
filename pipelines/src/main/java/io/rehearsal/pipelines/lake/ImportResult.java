package io.rehearsal.pipelines.lake;

import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.transforms.OrderedMaps;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an import did: every count, and per written table its path, Delta version and content hash.
 * Invariant: {@code rowsRead == rowsKept + rowsExcludedTotal()}, and the events table has rowsKept rows.
 *
 * @param rowsExcluded per reason, in the order the reasons are tested; the mapping's own exclusion rules
 *     always appear (zero included), the import's built-in reasons only when they excluded something
 * @param eventsByType kept events per canonical event type, every type listed in funnel order
 * @param tables per canonical table (events, users, items): where it was written and the committed version
 * @param contentHashes per canonical table: {@code ContentHash.of} the written version
 */
public record ImportResult(
    String runId,
    String mappingName,
    String mappingFile,
    String sourcePath,
    String sourceFormat,
    Long sourceVersion,
    String outDir,
    long rowsRead,
    long rowsKept,
    Map<String, Long> rowsExcluded,
    Map<String, Long> eventsByType,
    long users,
    long items,
    Map<String, CommitInfo> tables,
    Map<String, String> contentHashes) {

  public ImportResult {
    Objects.requireNonNull(runId, "runId");
    rowsExcluded = ordered(rowsExcluded);
    eventsByType = ordered(eventsByType);
    tables = ordered(tables);
    contentHashes = ordered(contentHashes);
  }

  public long rowsExcludedTotal() {
    return rowsExcluded.values().stream().mapToLong(Long::longValue).sum();
  }

  /** The Delta version committed per table. */
  public Map<String, Long> deltaVersions() {
    return CommitInfo.versions(tables);
  }

  /** A readable summary, one fact per line, as the {@code import} command prints it. */
  public List<String> summaryLines() {
    List<String> lines = new ArrayList<>();
    lines.add("Imported '" + mappingName + "' (run " + runId + ")");
    lines.add("  mapping:        " + mappingFile);
    lines.add("  source:         " + sourceFormat + " " + sourcePath + (sourceVersion == null ? "" : " @ version " + sourceVersion));
    lines.add("  rows read:      " + Progress.count(rowsRead));
    lines.add("  rows kept:      " + Progress.count(rowsKept));
    lines.add("  rows excluded:  " + Progress.count(rowsExcludedTotal()));
    rowsExcluded.forEach((reason, n) -> lines.add("    " + reason + ": " + Progress.count(n)));
    lines.add("  events by type:");
    eventsByType.forEach((type, n) -> lines.add("    " + type + ": " + Progress.count(n)));
    lines.add("  users:          " + Progress.count(users));
    lines.add("  items:          " + Progress.count(items));
    lines.add("  written to " + outDir + ":");
    tables.forEach((table, commit) -> lines.add("    " + table + ": " + commit.path() + " (Delta version " + commit.version()
        + ", content hash " + contentHashes.get(table) + ")"));
    return lines;
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return OrderedMaps.copyOf(Objects.requireNonNull(map, "map"));
  }
}
