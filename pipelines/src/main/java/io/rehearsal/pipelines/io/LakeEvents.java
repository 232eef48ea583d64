package io.rehearsal.pipelines.io;

import io.rehearsal.transforms.slicing.EventQuarantine;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lake's events as every step reads them: without the rows {@link EventQuarantine} sets aside (no id, no user,
 * no time, a time after the pinned version was committed, a second copy of an event). The snapshot writes what it
 * set aside to its quarantine table; parity's lake profile and the models trained on the lake read the same kept
 * events, so they compare like with like.
 */
public final class LakeEvents {

  /**
   * What the quarantine rules set aside per pinned Delta version (path, version and commit time): a version never
   * changes, so the steps of a run (snapshot, parity, the models trained on the lake in evaluate, simulate and drift)
   * count its rows once, not once each — a scan of the whole events table.
   */
  private static final Map<String, Map<String, Long>> COUNTS = new ConcurrentHashMap<>();

  private LakeEvents() {}

  /**
   * The kept events of the pinned events input (the input itself, plan unchanged, when nothing is set aside); a version
   * whose commit time is unknown gets no check for future events.
   */
  public static Dataset<Row> usable(TableStore store, TableSource pinned) {
    return split(store, pinned, store.committedAt(pinned)).kept();
  }

  /** The split of the pinned events input; {@code committedAt} is its version's commit time (null: unknown). */
  public static EventQuarantine.Split split(TableStore store, TableSource pinned, Instant committedAt) {
    Dataset<Row> events = store.read(pinned);
    if (!pinned.isDelta() || pinned.version() == null) {
      return EventQuarantine.split(events, committedAt);
    }
    String key = pinned.path() + "@v" + pinned.version() + "@" + committedAt;
    Map<String, Long> counts = COUNTS.get(key);
    if (counts == null) {
      counts = Collections.unmodifiableMap(new LinkedHashMap<>(EventQuarantine.counts(events, committedAt)));
      COUNTS.put(key, counts);
    }
    return EventQuarantine.split(events, committedAt, counts);
  }
}
