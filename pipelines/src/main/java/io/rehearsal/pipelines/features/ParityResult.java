package io.rehearsal.pipelines.features;

import io.rehearsal.transforms.features.FeatureSpec;
import java.util.List;

/** The immutable outcome of a parity run; the results are also in the Delta table at {@code resultsPath}. */
public record ParityResult(String runId, String baseline, List<ParityOutcome> outcomes, String resultsPath,
    long resultsVersion, double elapsedSeconds) {

  public ParityResult {
    outcomes = List.copyOf(outcomes);
  }

  public boolean passed() {
    return outcomes.stream().allMatch(ParityOutcome::passed);
  }

  public ParityOutcome outcome(String segment, FeatureSpec.Entity entity) {
    return outcomes.stream().filter(o -> o.segment().equals(segment) && o.entity() == entity).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No parity outcome for " + entity + " features of segment '"
            + segment + "'"));
  }
}
