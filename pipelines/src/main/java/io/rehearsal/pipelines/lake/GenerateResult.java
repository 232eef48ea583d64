package io.rehearsal.pipelines.lake;

import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.transforms.OrderedMaps;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What {@code rehearsal generate} wrote. Every map is keyed by canonical table name in the order
 * events, users, items.
 *
 * @param rows per table: the row count of the written Delta version
 * @param tables per table: its path and the Delta version this run committed
 * @param contentHashes per table: {@code ContentHash.of} the written version, read back
 * @param elapsed wall-clock time of the whole job
 */
public record GenerateResult(
    String runId,
    long seed,
    int scale,
    String outDir,
    Map<String, Long> rows,
    Map<String, CommitInfo> tables,
    Map<String, String> contentHashes,
    Duration elapsed) {

  public GenerateResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(outDir, "outDir");
    Objects.requireNonNull(elapsed, "elapsed");
    rows = ordered(rows);
    tables = ordered(tables);
    contentHashes = ordered(contentHashes);
  }

  /** The Delta version committed per table. */
  public Map<String, Long> deltaVersions() {
    return CommitInfo.versions(tables);
  }

  /** The path written per table. */
  public Map<String, String> paths() {
    Map<String, String> paths = new LinkedHashMap<>();
    tables.forEach((table, commit) -> paths.put(table, commit.path()));
    return Collections.unmodifiableMap(paths);
  }

  /** A readable summary, one fact per line, as the {@code generate} command prints it. */
  public List<String> summaryLines() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Generated the demo lake (seed %d, scale %d, run %s) in %.1fs", seed, scale, runId,
        elapsed.toMillis() / 1000.0));
    lines.add("  written to " + outDir + ":");
    tables.forEach((table, commit) -> lines.add(String.format(Locale.ROOT, "    %-6s %12s rows  %s (Delta version %d, content hash %s)",
        table, Progress.count(rows.get(table)), commit.path(), commit.version(), contentHashes.get(table))));
    return lines;
  }

  private static <V> Map<String, V> ordered(Map<String, V> map) {
    return OrderedMaps.copyOf(Objects.requireNonNull(map, "map"));
  }
}
