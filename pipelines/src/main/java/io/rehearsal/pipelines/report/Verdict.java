package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The run's verdict word and its banner colour. */
record Verdict(String word, String colour) {

  static final String PASS = "#1a7f37";
  static final String FAIL = "#cf222e";
  static final String INCONCLUSIVE = "#bf8700";
  static final String ERROR = "#57606a";

  /** result.verdict; without one, ERROR for a failed run (status failed or a failure), else UNKNOWN. */
  static Verdict of(JsonNode result) {
    String v = Json.str(result, "verdict");
    String word;
    if (v != null && !v.isBlank()) {
      word = v.trim().toUpperCase(Locale.ROOT);
    } else if (!Json.absent(Json.orMissing(result).path("failure"))
        || "failed".equalsIgnoreCase(Json.str(result, "status"))) {
      word = "ERROR";
    } else {
      word = "UNKNOWN";
    }
    String colour = switch (word) {
      case "PASS" -> PASS;
      case "FAIL" -> FAIL;
      case "INCONCLUSIVE" -> INCONCLUSIVE;
      default -> ERROR;
    };
    return new Verdict(word, colour);
  }
}
