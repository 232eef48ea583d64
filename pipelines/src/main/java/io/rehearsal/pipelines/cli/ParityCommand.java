package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.features.ParityJob;
import io.rehearsal.pipelines.features.ParityResult;
import io.rehearsal.pipelines.features.ParitySummary;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "parity", mixinStandardHelpOptions = true,
    header = "Compare the backfilled features with a production baseline.",
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
    StepStart start = StepStart.of("parity", manifest, sparkOptions);
    ParityResult result = start.job(new ParityJob()).featureSet(new FeatureSetLoader().forManifest(manifest))
        .execute();
    System.out.print(ParitySummary.format(result));
    return exitCode(result);
  }

  /** 3 when a check failed, else 0. */
  public static int exitCode(ParityResult result) {
    return result.passed() ? RehearsalCli.EXIT_OK : RehearsalCli.EXIT_CHECK_FAILED;
  }
}
