package io.rehearsal.pipelines.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.run.CanonicalJson;
import java.util.Map;
import org.junit.Test;

/** How the testbed benchmark finds a run's steps and what each wrote. No Spark. */
public class TestbedBenchTest {

  @Test
  public void aStepStartsAtItsProgressLineOnly() {
    // Lines as RunJob prints them (copied from a demo run's console).
    assertEquals("validate", StepMeter.stepOf("[   0.2s] run demo-default: validate"));
    assertEquals("parity", StepMeter.stepOf("[ 102.6s] run demo-default: parity"));
    assertEquals("teardown", StepMeter.stepOf("[ 421.2s] run bench-testbed: teardown\n"));
    assertNull(StepMeter.stepOf("[  10.3s] pinned inputs: events v0, users v0, items v0"));
    assertNull(StepMeter.stepOf("[   0.0s] run demo-default: step parity has already finished (done); --fresh starts "
        + "the run over"));
    assertNull(StepMeter.stepOf("run demo-default: parity"));
  }

  @Test
  public void rowsWrittenAreSummedPerStepFromTheRecord() {
    // A record's result entry (trimmed): the parity table is the parity step's, other feature tables backfill's.
    JsonNode record = CanonicalJson.parse("{\"entries\":[{\"kind\":\"plan\",\"body\":{}},"
        + "{\"kind\":\"result\",\"body\":{\"outputs\":["
        + "{\"table\":\"snapshots/events\",\"rows\":10},{\"table\":\"snapshots/users\",\"rows\":3},"
        + "{\"table\":\"features/parity\",\"rows\":5},{\"table\":\"features/s-1/user_daily\",\"rows\":7},"
        + "{\"table\":\"features/s-1/item_daily\",\"rows\":4},{\"table\":\"evaluation/e/metrics\",\"rows\":2},"
        + "{\"table\":\"simulation/e/checks\",\"rows\":1},{\"table\":\"drift/e/features\",\"rows\":6}]}}]}");
    assertEquals(Map.of("snapshot", 13L, "parity", 5L, "backfill", 11L, "evaluate", 2L, "simulate", 1L, "drift", 6L),
        TestbedBenchCommand.rowsByStep(record));
  }
}
