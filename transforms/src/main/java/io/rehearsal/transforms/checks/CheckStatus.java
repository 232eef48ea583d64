package io.rehearsal.transforms.checks;

import io.rehearsal.transforms.RehearsalException;
import java.util.Arrays;
import java.util.Locale;

/**
 * The status of every check Rehearsal makes: feature parity, KPI gates, guardrails, drift, simulation and the run's
 * verdict. Declared from best to worst, so that {@link #worse} is one rule for all of them: FAIL beats INCONCLUSIVE
 * beats WARN beats PASS beats SKIPPED. The names are the words the tables, the record and the report hold.
 */
public enum CheckStatus {
  /** Not made: nothing was declared for it. */
  SKIPPED,
  /** Shown to hold. */
  PASS,
  /** Reported, never gated (a drift alert is a finding about the data, not about the candidate). */
  WARN,
  /** Neither shown to hold nor shown to fail: too few users, or an interval that reaches past the margin. */
  INCONCLUSIVE,
  /** Shown to fail. */
  FAIL;

  /** The worse of the two. */
  public CheckStatus worse(CheckStatus other) {
    return other.ordinal() > ordinal() ? other : this;
  }

  /** PASS when the check held, else FAIL. */
  public static CheckStatus of(boolean passed) {
    return passed ? PASS : FAIL;
  }

  /** Whether a run with this verdict exits with "a check failed": FAIL, and INCONCLUSIVE when strict. */
  public boolean failsRun(boolean strict) {
    return this == FAIL || strict && this == INCONCLUSIVE;
  }

  /** Whether this status decides a verdict: FAIL and INCONCLUSIVE do; PASS, WARN and SKIPPED leave it as it is. */
  public boolean gates() {
    return this == FAIL || this == INCONCLUSIVE;
  }

  /** The status a stored word names (case-insensitive), as the record and the findings hold it. */
  public static CheckStatus parse(String word, String where) {
    for (CheckStatus s : values()) {
      if (word != null && s.name().equals(word.trim().toUpperCase(Locale.ROOT))) {
        return s;
      }
    }
    throw RehearsalException.invalidInput("Cannot read the check status of " + where,
        "expected one of " + Arrays.toString(values()) + ", got '" + word + "'",
        "the record or findings were not written by Rehearsal, or were edited; rerun the step");
  }
}
