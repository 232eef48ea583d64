package io.rehearsal.transforms.quality;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A table's columns against the expected ones (by name; order and nullability ignored): each missing,
 * extra or retyped column is one change.
 */
public final class SchemaDrift {

  public enum Kind { MISSING, EXTRA, RETYPED }

  /** One difference; the types are Spark's simple strings, null where the column does not exist. */
  public record Change(Kind kind, String column, String expectedType, String actualType) {
    public String describe() {
      switch (kind) {
        case MISSING:
          return "column '" + column + "' (" + expectedType + ") is missing";
        case EXTRA:
          return "column '" + column + "' (" + actualType + ") is not declared";
        default:
          return "column '" + column + "' has type " + actualType + ", declared " + expectedType;
      }
    }
  }

  private SchemaDrift() {}

  public static List<Change> between(StructType expected, StructType actual) {
    List<Change> changes = new ArrayList<>();
    for (StructField want : expected.fields()) {
      StructField have = find(actual, want.name());
      if (have == null) {
        changes.add(new Change(Kind.MISSING, want.name(), want.dataType().simpleString(), null));
      } else if (!have.dataType().catalogString().equals(want.dataType().catalogString())) {
        changes.add(new Change(Kind.RETYPED, want.name(), want.dataType().simpleString(),
            have.dataType().simpleString()));
      }
    }
    for (StructField have : actual.fields()) {
      if (find(expected, have.name()) == null) {
        changes.add(new Change(Kind.EXTRA, have.name(), null, have.dataType().simpleString()));
      }
    }
    return changes;
  }

  private static StructField find(StructType schema, String name) {
    for (StructField field : schema.fields()) {
      if (field.name().equals(name)) {
        return field;
      }
    }
    return null;
  }
}
