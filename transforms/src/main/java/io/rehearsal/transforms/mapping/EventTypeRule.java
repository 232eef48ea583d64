package io.rehearsal.transforms.mapping;

import java.util.Objects;

/** A row whose {@code when} (a boolean Spark SQL expression over the source columns) holds becomes {@code eventType}. */
public record EventTypeRule(String when, String eventType) {
  public EventTypeRule {
    Objects.requireNonNull(when, "when");
    Objects.requireNonNull(eventType, "eventType");
  }
}
