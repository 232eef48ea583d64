package io.rehearsal.transforms.mapping;

import java.util.Objects;

/**
 * One users/items column derived from the kept events: {@code aggregation} over {@code value} for the
 * rows where {@code where} holds (all rows when null). A constant value has no aggregation and no where.
 */
public record DerivedColumn(Aggregation aggregation, ValueSpec value, String where) {
  public DerivedColumn {
    Objects.requireNonNull(value, "value");
  }

  public static DerivedColumn constant(String value) {
    return new DerivedColumn(null, ValueSpec.constant(value), null);
  }

  public static DerivedColumn of(Aggregation aggregation, ValueSpec value) {
    return new DerivedColumn(aggregation, value, null);
  }

  public DerivedColumn where(String condition) {
    return new DerivedColumn(aggregation, value, condition);
  }
}
