package io.rehearsal.transforms.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * How a users/items column is derived from the kept events of one user or item. Every aggregation
 * ignores null values and breaks ties deterministically.
 */
public enum Aggregation {
  /** The most frequent value; ties go to the smallest value. */
  MOST_FREQUENT("most_frequent"),
  /** The value of the latest event (by event_ts, then event_id). */
  MOST_RECENT("most_recent"),
  /** The value of the earliest event (by event_ts, then event_id). */
  EARLIEST("earliest"),
  MIN("min"),
  MAX("max"),
  /** The lower median: the element at position ceil(n / 2) of the sorted values, an observed value. */
  MEDIAN("median");

  private final String label;

  Aggregation(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(Aggregation::label).collect(Collectors.toList());
  }

  /** The aggregation with this label, or null when there is none. */
  public static Aggregation fromLabel(String label) {
    for (Aggregation a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    return null;
  }
}
