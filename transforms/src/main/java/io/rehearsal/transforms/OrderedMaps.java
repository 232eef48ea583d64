package io.rehearsal.transforms;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable copies that keep insertion order. {@code Map.copyOf} iterates in an order randomized per
 * JVM, which must never reach anything hashed, printed or recorded.
 */
public final class OrderedMaps {

  private OrderedMaps() {}

  public static <K, V> Map<K, V> copyOf(Map<K, V> map) {
    return map == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(map));
  }
}
