package io.rehearsal.transforms.stats;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.checks.CheckStatus;
import org.junit.Assert;
import org.junit.Test;

public class GuardrailTest {

  @Test
  public void absoluteAndRelativeBoundsWithExactMessages() {
    Guardrail failures = new Guardrail("scoring_failures", null, 0.0, null, null);
    assertEquals("PASS guardrail scoring_failures in segment 'loyal': candidate 0, baseline 0, within max 0",
        failures.check("loyal", 0, 0).message());
    Guardrail.Check broken = failures.check("loyal", 0, 3);
    assertEquals(CheckStatus.FAIL, broken.status());
    assertEquals("FAIL guardrail scoring_failures in segment 'loyal': candidate 3, baseline 0, above the maximum 0",
        broken.message());

    Guardrail coverage = new Guardrail("coverage@10", 0.01, null, 0.8, null);
    assertEquals("FAIL guardrail coverage@10 in segment 'new': candidate 0.005, baseline 0.02 (ratio 0.250), below "
        + "the minimum 0.01 and below 0.8 × baseline", coverage.check("new", 0.02, 0.005).message());
    assertEquals(CheckStatus.PASS, coverage.check("new", 0.02, 0.018).status());

    Guardrail time = new Guardrail("scoring_time_ratio", null, 3.0, null, null);
    assertEquals(CheckStatus.FAIL, time.check("s", 1, 3.5).status());
  }

  @Test
  public void aGuardrailNeedsABound() {
    IllegalArgumentException e = Assert.assertThrows(IllegalArgumentException.class,
        () -> new Guardrail("coverage@10", null, null, null, null));
    assertEquals("Cannot guard coverage@10: set at least one of min, max, min_ratio_to_baseline, max_ratio_to_baseline",
        e.getMessage());
  }

  @Test
  public void aFailingGuardrailFailsItsSegmentAndTheVerdict() {
    GateEvaluation.Verdict none = GateEvaluation.evaluate(java.util.List.of(), java.util.List.of(),
        MultipleTesting.Method.HOLM, 0.95, 1, 0);
    GateEvaluation.Verdict v = none.withGuardrails(java.util.List.of(
        new Guardrail("scoring_failures", null, 0.0, null, null).check("a", 0, 0),
        new Guardrail("scoring_failures", null, 0.0, null, null).check("b", 0, 1)));
    assertEquals(CheckStatus.FAIL, v.overall());
    assertEquals(CheckStatus.PASS, v.bySegment().get("a"));
    assertEquals(CheckStatus.FAIL, v.bySegment().get("b"));
  }
}
