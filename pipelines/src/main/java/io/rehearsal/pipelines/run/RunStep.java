package io.rehearsal.pipelines.run;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The lifecycle of a run, in order, each with the steps whose outputs it reads. */
public enum RunStep {
  VALIDATE,
  PLAN(VALIDATE),
  SNAPSHOT(PLAN),
  BACKFILL(SNAPSHOT),
  PARITY(BACKFILL),
  EVALUATE(SNAPSHOT),
  SIMULATE(SNAPSHOT),
  DRIFT(SNAPSHOT),
  GATE(PARITY, EVALUATE, SIMULATE, DRIFT),
  RECORD(GATE),
  REPORT(RECORD),
  TEARDOWN(REPORT);

  // Not an EnumSet: the enum's class is not initialized yet while its constants are constructed.
  private final List<RunStep> needs;

  RunStep(RunStep... needs) {
    this.needs = List.of(needs);
  }

  public List<RunStep> needs() {
    return needs;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static RunStep parse(String label) {
    for (RunStep s : values()) {
      if (s.label().equals(label)) {
        return s;
      }
    }
    return null;
  }

  public static List<String> labels() {
    return Arrays.stream(values()).map(RunStep::label).toList();
  }
}
