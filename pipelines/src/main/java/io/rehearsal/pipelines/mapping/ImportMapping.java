package io.rehearsal.pipelines.mapping;

import io.rehearsal.transforms.mapping.MappingSpec;
import java.nio.file.Path;
import java.util.Objects;

/** A loaded and validated import mapping file: where it came from, its source and its column mapping. */
public record ImportMapping(Path file, String name, String description, MappingSource source, MappingSpec spec) {
  public ImportMapping {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(spec, "spec");
  }
}
