package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;

/** Null-tolerant reads of the plan and result JSON: every field may be absent, null or of another type. */
final class Json {

  private Json() {}

  static JsonNode orMissing(JsonNode n) {
    return n == null ? MissingNode.getInstance() : n;
  }

  static boolean absent(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull();
  }

  /** The text of a scalar field, or null when absent or null; containers are rendered as JSON. */
  static String str(JsonNode n, String field) {
    JsonNode v = orMissing(n).path(field);
    if (absent(v)) {
      return null;
    }
    return v.isValueNode() ? v.asText() : v.toString();
  }

  /** A finite number, or null (absent, null, not a number, NaN, infinite). Numeric strings are accepted. */
  static Double num(JsonNode n, String field) {
    JsonNode v = orMissing(n).path(field);
    double d;
    if (v.isNumber()) {
      d = v.doubleValue();
    } else if (v.isTextual()) {
      try {
        d = Double.parseDouble(v.asText().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      return null;
    }
    return Double.isFinite(d) ? d : null;
  }

  static Boolean bool(JsonNode n, String field) {
    JsonNode v = orMissing(n).path(field);
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
      return Boolean.parseBoolean(v.asText());
    }
    return null;
  }

  /** The elements of an array field that are objects; empty when absent or not an array. */
  static List<JsonNode> objects(JsonNode n, String field) {
    List<JsonNode> out = new ArrayList<>();
    JsonNode v = orMissing(n).path(field);
    if (v.isArray()) {
      v.forEach(e -> {
        if (e != null && e.isObject()) {
          out.add(e);
        }
      });
    }
    return out;
  }
}
