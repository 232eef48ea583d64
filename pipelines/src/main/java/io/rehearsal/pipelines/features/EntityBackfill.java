package io.rehearsal.pipelines.features;

import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.time.LocalDate;

/**
 * What backfill did for one snapshot and entity: the mode, why, which as-of days it computed
 * ({@code computedFrom}…{@code computedTo}, null when nothing was computed), how many requested days it
 * kept from an earlier run, the rows now in the requested window, the table and its Delta version.
 */
public record EntityBackfill(
    String segment,
    String snapshotId,
    Entity entity,
    Mode mode,
    String reason,
    LocalDate computedFrom,
    LocalDate computedTo,
    long daysKept,
    long rows,
    String path,
    long version) {

  /** FULL: the window was (re)computed and the table overwritten; INCREMENTAL: only missing days; UP_TO_DATE: nothing. */
  public enum Mode { FULL, INCREMENTAL, UP_TO_DATE }

  public long daysComputed() {
    return computedFrom == null ? 0 : computedTo.toEpochDay() - computedFrom.toEpochDay() + 1;
  }
}
