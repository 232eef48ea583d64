package io.rehearsal.pipelines.snapshot;

import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.slicing.FidelitySummary;
import java.util.List;
import java.util.Map;

/**
 * What one segment's snapshot holds: its id, sizes, per-table content hashes and fidelity, plus what
 * the inputs lacked — item ids missing from the catalog, and users with events in the window but no row
 * in the users table (they cannot be sampled).
 */
public record SegmentSnapshot(
    String segment,
    String snapshotId,
    long eligibleUsers,
    long sampledUsers,
    long events,
    long items,
    long danglingItemRefs,
    long usersMissingFromUsersTable,
    Map<String, String> contentHashes,
    List<FidelitySummary.Metric> fidelity) {

  public SegmentSnapshot {
    contentHashes = OrderedMaps.copyOf(contentHashes);
    fidelity = List.copyOf(fidelity);
  }
}
