package io.rehearsal.transforms.mapping;

import java.util.Objects;

/** Rows for which {@code when} holds are excluded and counted under {@code name}. */
public record ExclusionRule(String name, String when) {
  public ExclusionRule {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(when, "when");
  }
}
