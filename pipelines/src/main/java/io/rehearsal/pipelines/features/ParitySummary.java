package io.rehearsal.pipelines.features;

import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.quality.SchemaDrift;
import java.util.Locale;

/** The console summary of a parity check: per segment and entity, what failed and what was not compared. */
public final class ParitySummary {

  private ParitySummary() {}

  public static String format(ParityResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nFeature parity of run %s (%.1fs): %s%n  baseline: %s%n", result.runId(),
        result.elapsedSeconds(), CheckStatus.of(result.passed()).name(), result.baseline()));
    for (ParityOutcome o : result.outcomes()) {
      sb.append(String.format(Locale.ROOT, "%n  %s %s features [%s]: %s — %d of %d checks passed, %,d testbed rows, "
              + "%,d baseline rows%n", o.segment(), o.entity().name().toLowerCase(Locale.ROOT), o.snapshotId(),
          CheckStatus.of(o.passed()).name(), o.checks().size() - o.failures().size(), o.checks().size(),
          o.testbedRows(), o.baselineRows()));
      for (SchemaDrift.Change change : o.schemaChanges()) {
        sb.append("    FAIL schema drift: ").append(change.describe()).append('\n');
      }
      for (ParityCheck check : o.failures()) {
        sb.append("    FAIL ").append(check.message()).append('\n');
      }
      if (!o.excluded().isEmpty()) {
        sb.append("    not compared (excluded by the manifest): ").append(String.join(", ", o.excluded())).append('\n');
      }
      if (!o.notInBaseline().isEmpty()) {
        sb.append("    not compared (absent from the baseline): ").append(String.join(", ", o.notInBaseline()))
            .append('\n');
      }
    }
    sb.append(String.format(Locale.ROOT, "%n  results: %s (Delta v%d)%n", result.resultsPath(), result.resultsVersion()));
    return sb.toString();
  }
}
