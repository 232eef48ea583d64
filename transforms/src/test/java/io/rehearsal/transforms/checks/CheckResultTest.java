package io.rehearsal.transforms.checks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.drift.DriftAssessment;
import io.rehearsal.transforms.drift.DriftThresholds;
import io.rehearsal.transforms.stats.Guardrail;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/**
 * The one status and result shape of every check: the order of {@code worse}, and checks mapped onto it (parity's
 * mapping: FeatureParityCheckTest). Expected values written out by hand.
 */
public class CheckResultTest {

  @Test
  public void theWorseStatusWinsInTheDocumentedOrder() {
    // FAIL beats INCONCLUSIVE beats WARN beats PASS beats SKIPPED, whichever side it is on.
    List<CheckStatus> order = List.of(CheckStatus.SKIPPED, CheckStatus.PASS, CheckStatus.WARN, CheckStatus.INCONCLUSIVE,
        CheckStatus.FAIL);
    for (int i = 0; i < order.size(); i++) {
      for (int j = 0; j < order.size(); j++) {
        CheckStatus expected = order.get(Math.max(i, j));
        assertEquals(order.get(i) + " vs " + order.get(j), expected, order.get(i).worse(order.get(j)));
      }
    }
    assertEquals(CheckStatus.PASS, CheckStatus.of(true));
    assertEquals(CheckStatus.FAIL, CheckStatus.of(false));
  }

  @Test
  public void onlyFailAndStrictInconclusiveFailARun() {
    assertTrue(CheckStatus.FAIL.failsRun(false));
    assertFalse(CheckStatus.INCONCLUSIVE.failsRun(false));
    assertTrue(CheckStatus.INCONCLUSIVE.failsRun(true));
    for (CheckStatus s : List.of(CheckStatus.SKIPPED, CheckStatus.PASS, CheckStatus.WARN)) {
      assertFalse(s.name(), s.failsRun(true));
      assertFalse(s.name(), s.gates());
    }
    assertTrue(CheckStatus.FAIL.gates());
    assertTrue(CheckStatus.INCONCLUSIVE.gates());
  }

  @Test
  public void aStoredWordParsesOrIsNamedInTheError() {
    assertEquals(CheckStatus.INCONCLUSIVE, CheckStatus.parse(" inconclusive ", "x"));
    RehearsalException e = assertThrows(RehearsalException.class, () -> CheckStatus.parse("MAYBE", "the run's gate"));
    assertTrue(e.getMessage(), e.getMessage().startsWith("Cannot read the check status of the run's gate: expected one "
        + "of [SKIPPED, PASS, WARN, INCONCLUSIVE, FAIL], got 'MAYBE'"));
  }

  @Test
  public void guardrailsAndDriftLevelsMapOntoTheSameShape() {
    CheckResult guard = new Guardrail("scoring_failures", null, 0.0, null, null).check("loyal", 0, 3).result();
    assertEquals(new CheckResult("guardrail scoring_failures", "loyal", CheckStatus.FAIL,
        "FAIL guardrail scoring_failures in segment 'loyal': candidate 3, baseline 0, above the maximum 0",
        Map.of("baseline", 0.0, "candidate", 3.0)), guard);
    assertEquals(List.of("baseline", "candidate"), List.copyOf(guard.metrics().keySet()));

    // Drift is reported, never gated: an alert is a WARN of its feature, a stable category mix passes.
    CheckResult shifted = DriftAssessment.categorical("loyal", "device", 100, Map.of("app", 50L, "web", 50L), 100,
        Map.of("app", 90L, "web", 10L), DriftThresholds.DEFAULT).result();
    assertEquals(List.of("drift", "loyal device", CheckStatus.WARN), List.of(shifted.check(), shifted.scope(),
        shifted.status()));
    assertTrue(shifted.message(), shifted.message().startsWith("ALERT device in segment 'loyal': PSI "));
    assertEquals(List.of("psi", "wasserstein", "missing_rate_change", "severity"),
        List.copyOf(shifted.metrics().keySet()));
    CheckResult stable = DriftAssessment.categorical("loyal", "device", 100, Map.of("app", 50L, "web", 50L), 100,
        Map.of("app", 50L, "web", 50L), DriftThresholds.DEFAULT).result();
    assertEquals(CheckStatus.PASS, stable.status());
    assertEquals(0.0, stable.metrics().get("psi"), 0);

    assertEquals(CheckStatus.WARN, DriftThresholds.Level.ALERT.status());
    assertEquals(CheckStatus.WARN, DriftThresholds.Level.WARN.status());
    assertEquals(CheckStatus.PASS, DriftThresholds.Level.OK.status());
    assertEquals(CheckStatus.SKIPPED, DriftThresholds.Level.NOT_COMPARABLE.status());
  }
}
