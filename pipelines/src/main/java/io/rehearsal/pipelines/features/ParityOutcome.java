package io.rehearsal.pipelines.features;

import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.quality.SchemaDrift;
import java.util.List;

/**
 * Parity of one snapshot's feature table with its baseline: the statistic checks, the schema drift of
 * the table against the declared feature set, the declared columns the baseline lacks (not compared) and
 * the columns excluded by the manifest.
 */
public record ParityOutcome(
    String segment,
    String snapshotId,
    Entity entity,
    long testbedRows,
    long baselineRows,
    List<ParityCheck> checks,
    List<SchemaDrift.Change> schemaChanges,
    List<String> notInBaseline,
    List<String> excluded) {

  public ParityOutcome {
    checks = List.copyOf(checks);
    schemaChanges = List.copyOf(schemaChanges);
    notInBaseline = List.copyOf(notInBaseline);
    excluded = List.copyOf(excluded);
  }

  public List<ParityCheck> failures() {
    return checks.stream().filter(c -> !c.passed()).toList();
  }

  public boolean passed() {
    return schemaChanges.isEmpty() && failures().isEmpty();
  }
}
