package io.rehearsal.pipelines.io;

import io.rehearsal.transforms.slicing.EventQuarantine;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The lake's events as every step reads them: without the rows {@link EventQuarantine} sets aside (no id, no user,
 * no time, a time after the pinned version was committed, a second copy of an event). The snapshot writes what it
 * set aside to its quarantine table; parity's lake profile and the models trained on the lake read the same kept
 * events, so they compare like with like.
 */
public final class LakeEvents {

  private LakeEvents() {}

  /**
   * The kept events of the pinned events input (the input itself, plan unchanged, when nothing is set aside); a version
   * whose commit time is unknown gets no check for future events.
   */
  public static Dataset<Row> usable(TableStore store, TableSource pinned) {
    return EventQuarantine.split(store.read(pinned), store.committedAt(pinned)).kept();
  }
}
