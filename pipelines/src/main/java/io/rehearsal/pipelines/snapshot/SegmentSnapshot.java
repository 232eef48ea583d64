package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.slicing.FidelitySummary;
import java.util.List;
import java.util.Map;

/** What one segment's snapshot holds: its id, sizes, per-table content hashes and fidelity. */
public record SegmentSnapshot(
    String segment,
    String snapshotId,
    long eligibleUsers,
    long sampledUsers,
    long events,
    long items,
    long danglingItemRefs,
    Map<String, String> contentHashes,
    List<FidelitySummary.Metric> fidelity) {

  public SegmentSnapshot {
    contentHashes = io.rehearsal.transforms.OrderedMaps.copyOf(contentHashes);
    fidelity = List.copyOf(fidelity);
  }
}
