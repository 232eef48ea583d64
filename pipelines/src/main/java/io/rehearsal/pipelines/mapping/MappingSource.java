package io.rehearsal.pipelines.mapping;

import io.rehearsal.pipelines.io.TableSource;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The source block of an import mapping.
 *
 * @param path the resolved location: relative paths in the mapping file are resolved against the
 *     file's directory; URIs such as {@code s3a://bucket/x} are kept as they are
 * @param format csv, parquet or delta
 * @param version a pinned Delta version, or null to read the latest (Delta only)
 * @param options Spark reader options, e.g. {@code header}, {@code quote}, {@code nullValue}
 */
public record MappingSource(String path, String format, Long version, Map<String, String> options) {

  public MappingSource {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
  }

  /** The same source read from another path (the {@code --source} override). */
  public MappingSource withPath(String otherPath) {
    return new MappingSource(otherPath, format, version, options);
  }

  public TableSource tableSource(String name) {
    return new TableSource(name, path, format, version, options);
  }
}
