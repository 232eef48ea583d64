package io.rehearsal.transforms.mapping;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The result of a source mapping: the canonical tables (schemas exactly {@code CanonicalTables}') and
 * {@code outcomes}, one row per (reason, event_type) with its row count: {@code reason} is null for kept
 * rows. {@code exclusionReasons} are the possible reasons in the order they are tested.
 */
public record MappedTables(
    Dataset<Row> events, Dataset<Row> users, Dataset<Row> items, Dataset<Row> outcomes, List<String> exclusionReasons) {
  public MappedTables {
    Objects.requireNonNull(events, "events");
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(items, "items");
    Objects.requireNonNull(outcomes, "outcomes");
    exclusionReasons = List.copyOf(exclusionReasons);
  }
}
