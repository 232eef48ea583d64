package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The report fixtures in src/test/resources/report/. */
final class Fixtures {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Fixtures() {}

  static ObjectNode load(String name) {
    try (InputStream in = Fixtures.class.getResourceAsStream("/report/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /report/" + name);
      }
      return (ObjectNode) MAPPER.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode plan() {
    return load("plan.json");
  }

  static ObjectNode result() {
    return load("result.json");
  }

  static ObjectNode failedResult() {
    return load("failed-result.json");
  }

  static int size(JsonNode node, String field) {
    return node.path(field).size();
  }
}
