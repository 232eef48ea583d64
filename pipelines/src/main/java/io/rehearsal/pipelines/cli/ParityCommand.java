package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.features.ParityJob;
import io.rehearsal.pipelines.features.ParityOutcome;
import io.rehearsal.pipelines.features.ParityResult;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.quality.SchemaDrift;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "parity", mixinStandardHelpOptions = true,
    description = {
        "Checks the backfilled features against a production baseline; exits 3 when a check fails.",
        "Compares per feature the mean, p50, p90 and missing rate with the baseline of features.parity under the",
        "declared tolerances, and each table's schema with the feature set.",
        "Results go to <warehouse>/features/parity (Delta)."},
    footer = {"", "Exit codes: 0 parity holds, 1 runtime failure, 2 invalid input, 3 a parity check or the schema check failed."})
public final class ParityCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    SparkSession spark = sparkOptions.session("rehearsal-parity");
    String runId = sparkOptions.runId("parity");
    Progress progress = Progress.to(System.out);
    progress.step("parity %s (%s), run %s", manifest.file(), manifest.sha256().substring(0, 12), runId);
    ParityResult result = new ParityJob()
        .spark(spark)
        .store(new DeltaTableStore(spark))
        .manifest(manifest)
        .featureSet(new FeatureSetLoader().forManifest(manifest))
        .runId(runId)
        .progress(progress)
        .execute();
    System.out.print(format(result));
    return result.passed() ? RehearsalCli.EXIT_OK : RehearsalCli.EXIT_CHECK_FAILED;
  }

  public static String format(ParityResult result) {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%nFeature parity of run %s (%.1fs): %s%n  baseline: %s%n", result.runId(),
        result.elapsedSeconds(), result.passed() ? "PASS" : "FAIL", result.baseline()));
    for (ParityOutcome o : result.outcomes()) {
      sb.append(String.format(Locale.ROOT, "%n  %s %s features [%s]: %s — %d of %d checks passed, %,d testbed rows, "
              + "%,d baseline rows%n", o.segment(), o.entity().name().toLowerCase(Locale.ROOT), o.snapshotId(),
          o.passed() ? "PASS" : "FAIL", o.checks().size() - o.failures().size(), o.checks().size(), o.testbedRows(),
          o.baselineRows()));
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
