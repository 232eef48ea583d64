package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.OrderedMaps;
import java.util.List;
import java.util.Map;

/** The immutable outcome of a snapshot run: pinned inputs, one entry per segment, written table versions. */
public record SnapshotResult(
    String runId,
    String manifestSha256,
    Map<String, Long> inputVersions,
    List<SegmentSnapshot> segments,
    Map<String, Long> tableVersions,
    double elapsedSeconds) {

  public SnapshotResult {
    inputVersions = OrderedMaps.copyOf(inputVersions);
    segments = List.copyOf(segments);
    tableVersions = OrderedMaps.copyOf(tableVersions);
  }

  public SegmentSnapshot segment(String name) {
    return segments.stream().filter(s -> s.segment().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No segment '" + name + "' in this snapshot"));
  }
}
