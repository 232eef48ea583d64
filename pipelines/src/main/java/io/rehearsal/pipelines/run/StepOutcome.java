package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a step of a run ended, kept in the run's state folder so a later invocation (a resumed run, the next
 * Airflow task) can continue: {@code done} or {@code skipped}, its wall time, a note, and what it found
 * (the part of the run record it contributes).
 */
public record StepOutcome(RunStep step, String status, double seconds, String note, JsonNode findings) {

  public static final String DONE = "done";
  public static final String SKIPPED = "skipped";

  public static StepOutcome done(RunStep step, double seconds, String note, JsonNode findings) {
    return new StepOutcome(step, DONE, seconds, note, findings);
  }

  public static StepOutcome skipped(RunStep step, String why) {
    return new StepOutcome(step, SKIPPED, 0, why, JsonNodeFactory.instance.objectNode());
  }

  public ObjectNode toJson() {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("step", step.label());
    n.put("status", status);
    n.put("seconds", Math.round(seconds * 10) / 10.0);
    n.put("note", note);
    n.set("findings", findings);
    return n;
  }

  public static StepOutcome fromJson(JsonNode n) {
    return new StepOutcome(RunStep.parse(n.path("step").asText()), n.path("status").asText(),
        n.path("seconds").asDouble(), n.path("note").asText(null), n.get("findings"));
  }
}
