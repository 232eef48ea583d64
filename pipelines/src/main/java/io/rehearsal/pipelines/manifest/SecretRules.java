package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A manifest holds no secret: its content is recorded verbatim in the run's plan (the ledger and record.json), so a
 * credential written into it would be kept for good. Refused: a reader option whose name looks like a credential, and
 * any value that is a URI with a user and password in it ({@code s3a://KEY:SECRET@bucket/…}). Neither value is
 * repeated in the message.
 */
public final class SecretRules {

  /**
   * Setting names that hold secrets: Spark's own default redaction pattern, widened to the usual credential names and
   * the pseudonymization salt. The record redacts Spark settings by it, and bin/rehearsal gives Spark the same as
   * {@code spark.redaction.regex} (keep the two alike).
   */
  public static final Pattern SECRET_KEY = Pattern.compile("(?i)secret|password|passwd|token|access[._-]?key|"
      + "credential|session[._-]?key|private[._-]?key|auth|signature|salt|pepper");

  private static final Pattern URI_WITH_PASSWORD = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://[^/@\\s]*:[^/@\\s]*@");
  private static final String FIX = "the manifest is recorded verbatim with every run, so it must hold no secret: give "
      + "credentials through the environment or a Spark profile (docs/s3.md)";

  private SecretRules() {}

  static void check(JsonNode doc, List<ManifestProblem> problems) {
    for (Iterator<Map.Entry<String, JsonNode>> inputs = doc.path("inputs").fields(); inputs.hasNext(); ) {
      Map.Entry<String, JsonNode> input = inputs.next();
      for (Iterator<String> options = input.getValue().path("options").fieldNames(); options.hasNext(); ) {
        String option = options.next();
        if (SECRET_KEY.matcher(option).find()) {
          problems.add(new ManifestProblem("inputs." + input.getKey() + ".options." + option,
              "the option's name looks like a credential; " + FIX));
        }
      }
    }
    uris(doc, "", problems);
  }

  private static void uris(JsonNode node, String at, List<ManifestProblem> problems) {
    if (node.isTextual() && URI_WITH_PASSWORD.matcher(node.asText()).find()) {
      problems.add(new ManifestProblem(at, "a URI with a user and password in it; " + FIX));
    } else if (node.isObject()) {
      node.fields().forEachRemaining(e -> uris(e.getValue(), at.isEmpty() ? e.getKey() : at + "." + e.getKey(),
          problems));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        uris(node.get(i), at + "[" + i + "]", problems);
      }
    }
  }
}
