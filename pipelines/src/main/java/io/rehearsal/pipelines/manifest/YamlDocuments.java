package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.rehearsal.transforms.RehearsalException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Reading the YAML documents Rehearsal is configured with (manifests, feature sets) and reporting their
 * problems, worded the same way for each: {@code subject} names the document, e.g. "Manifest m.yaml".
 */
final class YamlDocuments {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlDocuments() {}

  /** The document's top-level mapping; a syntax error names the line and column. */
  static JsonNode readMapping(String subject, String readProblem, byte[] bytes, String startFrom) {
    JsonNode doc;
    try {
      doc = YAML.readTree(bytes);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr();
      throw RehearsalException.invalidInput(subject + " is not valid YAML",
          "syntax error" + where + ": " + e.getOriginalMessage().split("\n")[0],
          "fix the YAML syntax (indentation, quotes, colons)", e);
    } catch (IOException e) {
      throw RehearsalException.invalidInput(readProblem, e.toString(), null, e);
    }
    if (doc == null || !doc.isObject()) {
      throw RehearsalException.invalidInput(subject + " is invalid",
          "expected a YAML mapping at the top level, got "
              + (doc == null ? "an empty file" : doc.getNodeType().toString().toLowerCase(Locale.ROOT)),
          startFrom);
    }
    return doc;
  }

  /** The one error a broken document produces: every problem, each on its own line. */
  static RehearsalException invalid(String subject, List<ManifestProblem> problems, String reference) {
    String list = problems.stream().map(p -> "\n  - " + p).collect(Collectors.joining());
    return RehearsalException.invalidInput(
        subject + " is invalid (" + problems.size() + (problems.size() == 1 ? " problem)" : " problems)"),
        list,
        "correct the fields listed above (" + reference + ")");
  }
}
