package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.OrderedMaps;
import java.util.List;
import java.util.Map;

/**
 * The immutable outcome of a snapshot run: pinned inputs, one entry per segment, written table versions, and the
 * input events set aside per reason (every reason, zeros too) with the table holding them (null when none was written).
 */
public record SnapshotResult(
    String runId,
    String manifestSha256,
    Map<String, Long> inputVersions,
    List<SegmentSnapshot> segments,
    Map<String, Long> tableVersions,
    Map<String, Long> quarantined,
    String quarantineTable,
    double elapsedSeconds) {

  public SnapshotResult {
    inputVersions = OrderedMaps.copyOf(inputVersions);
    segments = List.copyOf(segments);
    tableVersions = OrderedMaps.copyOf(tableVersions);
    quarantined = OrderedMaps.copyOf(quarantined);
  }

  /** Input events set aside, all reasons together. */
  public long quarantinedEvents() {
    return quarantined.values().stream().mapToLong(Long::longValue).sum();
  }

  public SegmentSnapshot segment(String name) {
    return segments.stream().filter(s -> s.segment().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No segment '" + name + "' in this snapshot"));
  }
}
