package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The run's verdict from what the steps found. The KPI gates of {@code evaluate} decide per segment; a
 * failed feature parity or simulation check fails its segment too (the testbed, or the candidate's lists,
 * cannot be trusted there). Drift alerts are reported as WARN and do not change the verdict: a drifted
 * window is a finding about the data, not about the candidate. FAIL beats INCONCLUSIVE beats PASS.
 */
final class RunGate {

  private RunGate() {}

  static ObjectNode decide(JsonNode evaluation, boolean evaluated, JsonNode parity, boolean parityRan,
      JsonNode simulation, boolean simulated, JsonNode drift, boolean driftRan) {
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    ArrayNode checks = out.putArray("checks");
    Map<String, String> segments = new LinkedHashMap<>();
    if (evaluated) {
      String verdict = evaluation.path("verdict").asText();
      long failing = 0;
      for (JsonNode s : evaluation.path("segments")) {
        segments.merge(s.path("segment").asText(), s.path("verdict").asText(), RunGate::worse);
        failing += "FAIL".equals(s.path("verdict").asText()) ? 1 : 0;
      }
      checks.addObject().put("check", "evaluation").put("status", verdict)
          .put("message", "KPI gates: " + failing + " of " + evaluation.path("segments").size() + " segment(s) fail");
    } else {
      checks.addObject().put("check", "evaluation").put("status", "SKIPPED").put("message", "no models and gates declared");
    }
    if (parityRan) {
      long failed = failSegmentsOf(parity.path("parity"), segments);
      checks.addObject().put("check", "parity").put("status", failed == 0 ? "PASS" : "FAIL")
          .put("message", failed == 0 ? "feature parity holds for every segment and entity"
              : failed + " segment × entity parity check(s) fail: the testbed's features are not production's");
    } else {
      checks.addObject().put("check", "parity").put("status", "SKIPPED").put("message", "no feature parity declared");
    }
    if (simulated) {
      long failed = failSegmentsOf(simulation.path("simulation"), segments);
      checks.addObject().put("check", "simulation").put("status", failed == 0 ? "PASS" : "FAIL")
          .put("message", failed == 0 ? "every model served valid lists under the catalog changes and to cold-start users"
              : failed + " segment × model check(s) over the failure limit");
    } else {
      checks.addObject().put("check", "simulation").put("status", "SKIPPED").put("message", "no simulation declared");
    }
    if (driftRan) {
      long alerts = 0;
      for (JsonNode s : drift.path("drift").path("segments")) {
        alerts += s.path("alerts").asLong();
      }
      checks.addObject().put("check", "drift").put("status", alerts == 0 ? "PASS" : "WARN")
          .put("message", alerts == 0 ? "no feature or prediction drift alerts"
              : alerts + " drift alert(s): reported, not gated (see the drift section)");
    } else {
      checks.addObject().put("check", "drift").put("status", "SKIPPED").put("message", "no drift suite declared");
    }
    String verdict = segments.values().stream().reduce("PASS", RunGate::worse);
    for (JsonNode c : checks) {
      String status = c.path("status").asText();
      if ("FAIL".equals(status) || "INCONCLUSIVE".equals(status)) {
        verdict = worse(verdict, status);
      }
    }
    out.put("verdict", verdict);
    ArrayNode bySegment = out.putArray("segments");
    segments.forEach((s, v) -> bySegment.addObject().put("segment", s).put("verdict", v));
    return out;
  }

  /** Fails the segment of every row that did not pass; returns how many rows did not. */
  private static long failSegmentsOf(JsonNode rows, Map<String, String> segments) {
    long failed = 0;
    for (JsonNode row : rows) {
      if (!row.path("passed").asBoolean()) {
        failed++;
        segments.merge(row.path("segment").asText(), "FAIL", RunGate::worse);
      }
    }
    return failed;
  }

  static String worse(String a, String b) {
    return rank(a) >= rank(b) ? a : b;
  }

  private static int rank(String status) {
    return switch (status) {
      case "FAIL" -> 2;
      case "INCONCLUSIVE" -> 1;
      default -> 0;
    };
  }
}
