package io.rehearsal.pipelines.io;

import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.ranking.ModelSpec;
import java.util.Map;

/**
 * Where an input table lives: a logical name (for messages and the record), a path (local or s3a://),
 * a format (delta, parquet or csv), an optional pinned Delta version and reader options.
 */
public record TableSource(String name, String path, String format, Long version, Map<String, String> options) {

  public TableSource {
    options = OrderedMaps.copyOf(options);
  }

  public static TableSource delta(String name, String path) {
    return new TableSource(name, path, "delta", null, Map.of());
  }

  /** A {@code kind: table} model's recommendations (a CSV file has a header and typed columns). */
  public static TableSource ofRecommendations(ModelSpec spec) {
    return new TableSource("models." + spec.role() + " recommendations table", spec.path(), spec.format(),
        spec.tableVersion(), spec.format().equals("csv") ? Map.of("header", "true", "inferSchema", "true") : Map.of());
  }

  public TableSource atVersion(Long pinned) {
    return new TableSource(name, path, format, pinned, options);
  }

  public boolean isDelta() {
    return "delta".equals(format);
  }
}
