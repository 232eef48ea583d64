package io.rehearsal.transforms.generate;

import io.rehearsal.transforms.schema.CanonicalTables;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The three generated tables, each with exactly its {@link CanonicalTables} schema. */
public record DemoLake(Dataset<Row> events, Dataset<Row> users, Dataset<Row> items) {

  public DemoLake {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(items, "items");
  }

  /** The table with a canonical name ({@link CanonicalTables#EVENTS}, {@code USERS} or {@code ITEMS}). */
  public Dataset<Row> table(String name) {
    switch (name) {
      case CanonicalTables.EVENTS:
        return events;
      case CanonicalTables.USERS:
        return users;
      case CanonicalTables.ITEMS:
        return items;
      default:
        throw new IllegalArgumentException("Unknown demo lake table '" + name + "', expected one of " + CanonicalTables.ALL);
    }
  }
}
