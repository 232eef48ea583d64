package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The run's verdict from what the steps found. The KPI gates of {@code evaluate} decide per segment; a
 * failed feature parity or simulation check fails its segment too (the testbed, or the candidate's lists,
 * cannot be trusted there). Drift alerts are reported as WARN and do not change the verdict: a drifted
 * window is a finding about the data, not about the candidate. The worse status wins ({@link CheckStatus#worse}).
 * Reads the steps' findings as stored (a step may have run in another process), so it works from their JSON.
 */
final class RunGate {

  private static final String RUN = "run";

  private RunGate() {}

  /** The run's checks, segment verdicts and verdict. */
  record Decision(List<CheckResult> checks, Map<String, CheckStatus> segments, CheckStatus verdict) {

    ObjectNode toJson() {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      ArrayNode rows = out.putArray("checks");
      checks.forEach(c -> rows.addObject().put("check", c.check()).put("status", c.status().name())
          .put("message", c.message()));
      out.put("verdict", verdict.name());
      ArrayNode bySegment = out.putArray("segments");
      segments.forEach((s, v) -> bySegment.addObject().put("segment", s).put("verdict", v.name()));
      return out;
    }
  }

  static ObjectNode decide(JsonNode evaluation, boolean evaluated, JsonNode parity, boolean parityRan,
      JsonNode simulation, boolean simulated, JsonNode drift, boolean driftRan) {
    return decision(evaluation, evaluated, parity, parityRan, simulation, simulated, drift, driftRan).toJson();
  }

  static Decision decision(JsonNode evaluation, boolean evaluated, JsonNode parity, boolean parityRan,
      JsonNode simulation, boolean simulated, JsonNode drift, boolean driftRan) {
    List<CheckResult> checks = new ArrayList<>();
    Map<String, CheckStatus> segments = new LinkedHashMap<>();
    if (evaluated) {
      long failing = 0;
      for (JsonNode s : evaluation.path("segments")) {
        CheckStatus verdict = status(s.path("verdict"), "the evaluation's segment " + s.path("segment").asText());
        segments.merge(s.path("segment").asText(), verdict, CheckStatus::worse);
        failing += verdict == CheckStatus.FAIL ? 1 : 0;
      }
      checks.add(CheckResult.of("evaluation", RUN, status(evaluation.path("verdict"), "the evaluation"),
          "KPI gates: " + failing + " of " + evaluation.path("segments").size() + " segment(s) fail"));
    } else {
      checks.add(CheckResult.of("evaluation", RUN, CheckStatus.SKIPPED, "no models and gates declared"));
    }
    checks.add(stepCheck("parity", parityRan, parity, segments, "no feature parity declared",
        "feature parity holds for every segment and entity",
        " segment × entity parity check(s) fail: the testbed's features are not production's"));
    checks.add(stepCheck("simulation", simulated, simulation, segments, "no simulation declared",
        "every model served valid lists under the catalog changes and to cold-start users",
        " segment × model check(s) over the failure limit"));
    if (driftRan) {
      long alerts = 0;
      for (JsonNode s : drift.path("drift").path("segments")) {
        alerts += s.path("alerts").asLong();
      }
      checks.add(CheckResult.of("drift", RUN, alerts == 0 ? CheckStatus.PASS : CheckStatus.WARN, alerts == 0
          ? "no feature or prediction drift alerts"
          : alerts + " drift alert(s): reported, not gated (see the drift section)"));
    } else {
      checks.add(CheckResult.of("drift", RUN, CheckStatus.SKIPPED, "no drift suite declared"));
    }
    CheckStatus verdict = segments.values().stream().reduce(CheckStatus.PASS, CheckStatus::worse);
    for (CheckResult c : checks) {
      if (c.status().gates()) {
        verdict = verdict.worse(c.status());
      }
    }
    return new Decision(checks, segments, verdict);
  }

  /**
   * The run check of a step whose findings list rows (segment, passed) under the check's name: SKIPPED when the step
   * was not declared, else PASS when every row passed; each row that did not fails its segment.
   */
  private static CheckResult stepCheck(String check, boolean ran, JsonNode findings, Map<String, CheckStatus> segments,
      String notDeclared, String allPassed, String failedSuffix) {
    if (!ran) {
      return CheckResult.of(check, RUN, CheckStatus.SKIPPED, notDeclared);
    }
    long failed = 0;
    for (JsonNode row : findings.path(check)) {
      if (!row.path("passed").asBoolean()) {
        failed++;
        segments.merge(row.path("segment").asText(), CheckStatus.FAIL, CheckStatus::worse);
      }
    }
    return CheckResult.of(check, RUN, CheckStatus.of(failed == 0), failed == 0 ? allPassed : failed + failedSuffix);
  }

  private static CheckStatus status(JsonNode word, String where) {
    return CheckStatus.parse(word.asText(), where + " in the run's findings");
  }
}
