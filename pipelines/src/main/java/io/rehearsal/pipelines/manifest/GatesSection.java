package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.MetricGate;
import io.rehearsal.transforms.stats.MultipleTesting;
import java.util.List;

/**
 * The manifest's {@code gates} section, declared before the run: the paired non-inferiority gates (the
 * primary first, then the secondary ones and per-user guardrails) under one multiple-testing correction,
 * and the aggregate guardrails (coverage, failures, fallback share, scoring time).
 */
public record GatesSection(List<MetricGate> paired, List<Guardrail> guardrails, MultipleTesting.Method correction) {

  public static final double DEFAULT_ALPHA = 0.05;
  public static final double DEFAULT_POWER = 0.8;

  public GatesSection {
    paired = List.copyOf(paired);
    guardrails = List.copyOf(guardrails);
  }

  public MetricGate primary() {
    return paired.get(0);
  }
}
