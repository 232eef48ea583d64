package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.RehearsalException;
import java.util.List;
import java.util.stream.Collectors;

/** Builds the one error a broken manifest produces: every problem, each on its own line. */
final class ManifestInvalidException {

  private ManifestInvalidException() {}

  static RehearsalException of(String file, List<ManifestProblem> problems) {
    String list = problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    return RehearsalException.invalidInput(
        "Manifest " + file + " is invalid (" + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"),
        list,
        "correct the fields listed above (reference: docs/manifest.md, schema: manifests/manifest.schema.json)");
  }
}
