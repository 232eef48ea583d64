package io.rehearsal.transforms.slicing;

import java.time.LocalDate;

/**
 * One customer segment: a user-level filter (Spark SQL over the user profile, see
 * {@link UserProfiles}), an event-time window [start, end) in UTC days, a minimum number of events
 * per user inside the window, and a sampling declaration.
 */
public record SegmentSpec(
    String name,
    String description,
    String filter,
    LocalDate windowStart,
    LocalDate windowEnd,
    long minEventsPerUser,
    SamplingSpec sampling) {

  /** The filter to apply; a segment without one keeps every user. */
  public String effectiveFilter() {
    return filter == null || filter.isBlank() ? "true" : filter;
  }
}
