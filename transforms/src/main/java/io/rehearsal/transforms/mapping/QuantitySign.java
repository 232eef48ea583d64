package io.rehearsal.transforms.mapping;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The sign the source quantity has for one event type. The canonical quantity is always positive (the
 * event type carries the direction), so a {@code NEGATIVE} source quantity is negated and {@code ANY}
 * takes the absolute value. A quantity of the wrong sign, or zero, excludes the row.
 */
public enum QuantitySign {
  POSITIVE("positive"),
  NEGATIVE("negative"),
  ANY("any");

  private final String label;

  QuantitySign(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(QuantitySign::label).collect(Collectors.toList());
  }

  /** The sign with this label, or null when there is none. */
  public static QuantitySign fromLabel(String label) {
    for (QuantitySign s : values()) {
      if (s.label.equals(label)) {
        return s;
      }
    }
    return null;
  }
}
