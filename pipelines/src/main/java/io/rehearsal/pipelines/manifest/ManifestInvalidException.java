package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.RehearsalException;
import java.util.List;

/** Builds the one error a broken manifest produces: every problem, each on its own line. */
final class ManifestInvalidException {

  private ManifestInvalidException() {}

  static RehearsalException of(String file, List<ManifestProblem> problems) {
    return YamlDocuments.invalid("Manifest " + file, problems,
        "reference: docs/manifest.md, schema: manifests/manifest.schema.json");
  }
}
