package io.rehearsal.transforms.mapping;

import java.util.Objects;

/**
 * Where one mapped value comes from: a source column, a Spark SQL expression over the source columns,
 * or a constant. {@code format} is an optional parse format applied when the value is a string: a
 * datetime pattern for timestamp columns, a {@code to_number} format for money columns.
 */
public record ValueSpec(Kind kind, String text, String format) {

  /** The three ways to give a value; {@link #field()} is the mapping-file key that selects it. */
  public enum Kind {
    SOURCE("source"),
    EXPR("expr"),
    CONSTANT("constant");

    private final String field;

    Kind(String field) {
      this.field = field;
    }

    public String field() {
      return field;
    }
  }

  public ValueSpec {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(text, "text");
  }

  public static ValueSpec source(String column) {
    return new ValueSpec(Kind.SOURCE, column, null);
  }

  public static ValueSpec expr(String sql) {
    return new ValueSpec(Kind.EXPR, sql, null);
  }

  public static ValueSpec constant(String value) {
    return new ValueSpec(Kind.CONSTANT, value, null);
  }

  public ValueSpec withFormat(String parseFormat) {
    return new ValueSpec(kind, text, parseFormat);
  }
}
