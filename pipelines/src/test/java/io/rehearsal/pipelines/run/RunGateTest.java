package io.rehearsal.pipelines.run;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.Map;
import org.junit.Test;

/** The run's verdict from hand-written findings as the steps store them (no Spark); expected verdicts by the rule. */
public class RunGateTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNode NONE = JSON.createObjectNode();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  @Test
  public void aFailedParityFailsItsSegmentAndDriftAlertsOnlyWarn() throws Exception {
    JsonNode evaluation = json("{'verdict': 'INCONCLUSIVE', 'segments': [{'segment': 'loyal', 'verdict': 'PASS'},"
        + " {'segment': 'new', 'verdict': 'INCONCLUSIVE'}]}");
    JsonNode parity = json("{'parity': [{'segment': 'loyal', 'passed': false}, {'segment': 'new', 'passed': true}]}");
    JsonNode simulation = json("{'simulation': [{'segment': 'new', 'passed': true}]}");
    JsonNode drift = json("{'drift': {'segments': [{'segment': 'loyal', 'alerts': 4}]}}");
    RunGate.Decision d = RunGate.decision(evaluation, true, parity, true, simulation, true, drift, true);
    // loyal: PASS by its gates, FAIL by its parity; new: INCONCLUSIVE. The worse wins: FAIL.
    assertEquals(Map.of("loyal", CheckStatus.FAIL, "new", CheckStatus.INCONCLUSIVE), d.segments());
    assertEquals(CheckStatus.FAIL, d.verdict());
    assertEquals(new CheckResult("parity", "run", CheckStatus.FAIL, "1 segment × entity parity check(s) fail: the "
        + "testbed's features are not production's", Map.of()), d.checks().get(1));
    assertEquals(CheckStatus.WARN, d.checks().get(3).status());
    assertEquals("4 drift alert(s): reported, not gated (see the drift section)", d.checks().get(3).message());
    assertEquals("{\"checks\":[{\"check\":\"evaluation\",\"status\":\"INCONCLUSIVE\",\"message\":\"KPI gates: 0 of 2 "
        + "segment(s) fail\"},{\"check\":\"parity\",\"status\":\"FAIL\",\"message\":\"1 segment × entity parity "
        + "check(s) fail: the testbed's features are not production's\"},{\"check\":\"simulation\",\"status\":\"PASS\","
        + "\"message\":\"every model served valid lists under the catalog changes and to cold-start users\"},"
        + "{\"check\":\"drift\",\"status\":\"WARN\",\"message\":\"4 drift alert(s): reported, not gated (see the drift "
        + "section)\"}],\"verdict\":\"FAIL\",\"segments\":[{\"segment\":\"loyal\",\"verdict\":\"FAIL\"},"
        + "{\"segment\":\"new\",\"verdict\":\"INCONCLUSIVE\"}]}", d.toJson().toString());
  }

  @Test
  public void driftAlertsAloneLeaveAPassingRunPassingAndUndeclaredChecksAreSkipped() throws Exception {
    JsonNode evaluation = json("{'verdict': 'PASS', 'segments': [{'segment': 'loyal', 'verdict': 'PASS'}]}");
    JsonNode drift = json("{'drift': {'segments': [{'segment': 'loyal', 'alerts': 2}]}}");
    RunGate.Decision d = RunGate.decision(evaluation, true, NONE, false, NONE, false, drift, true);
    assertEquals(CheckStatus.PASS, d.verdict());
    assertEquals(CheckStatus.SKIPPED, d.checks().get(1).status());
    assertEquals("no feature parity declared", d.checks().get(1).message());
    assertEquals(CheckStatus.SKIPPED, d.checks().get(2).status());
    assertEquals(CheckStatus.WARN, d.checks().get(3).status());
  }

  @Test
  public void anInconclusiveEvaluationWithoutSegmentsStillDecidesTheVerdict() throws Exception {
    RunGate.Decision d = RunGate.decision(json("{'verdict': 'INCONCLUSIVE', 'segments': []}"), true, NONE, false, NONE,
        false, NONE, false);
    assertEquals(CheckStatus.INCONCLUSIVE, d.verdict());
  }

  @Test
  public void aSimulationLimitMapsOntoTheCommonCheckShape() {
    CheckResult over = new SimulationResult.Check("new", "candidate", 12, 1, 0).result();
    assertEquals(new CheckResult("simulation failures", "new candidate", CheckStatus.FAIL,
        "candidate in segment 'new': 13 failure(s) (12 cold-start, 1 scenario), at most 0 allowed",
        Map.of("cold_start_failures", 12.0, "scenario_failures", 1.0, "max_failures", 0.0)), over);
    assertEquals(CheckStatus.PASS, new SimulationResult.Check("new", "baseline", 0, 2, 2).result().status());
  }

  @Test
  public void anUnknownStatusInTheFindingsIsNamed() throws Exception {
    JsonNode evaluation = json("{'verdict': 'PASS', 'segments': [{'segment': 'loyal', 'verdict': 'GREEN'}]}");
    RehearsalException e = assertThrows(RehearsalException.class,
        () -> RunGate.decision(evaluation, true, NONE, false, NONE, false, NONE, false));
    assertTrue(e.getMessage(), e.getMessage().startsWith("Cannot read the check status of the evaluation's segment "
        + "loyal in the run's findings: expected one of [SKIPPED, PASS, WARN, INCONCLUSIVE, FAIL], got 'GREEN'"));
  }
}
