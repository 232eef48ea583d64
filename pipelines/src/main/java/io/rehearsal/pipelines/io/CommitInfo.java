package io.rehearsal.pipelines.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What one write left behind: the table path and the Delta version it committed. */
public record CommitInfo(String path, long version) {

  /** The version committed per table, in the map's order. */
  public static Map<String, Long> versions(Map<String, CommitInfo> byTable) {
    Map<String, Long> versions = new LinkedHashMap<>();
    byTable.forEach((table, commit) -> versions.put(table, commit.version()));
    return Collections.unmodifiableMap(versions);
  }
}
