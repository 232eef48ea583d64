package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.drift.DriftJob;
import io.rehearsal.pipelines.drift.DriftResult;
import io.rehearsal.pipelines.drift.DriftSummary;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "drift", mixinStandardHelpOptions = true,
    header = "Measure feature and prediction drift between two windows.",
    description = {
        "Feature drift per segment: compares the manifest's feature set between the reference and current windows",
        "of its drift section (PSI over stored reference-decile bins, KS, Jensen-Shannon, normalised Wasserstein,",
        "missing rate, chi-square; categories that appear or vanish by name), ranks the most shifted features,",
        "and with drift.series finds change days and suggests a retraining window.",
        "Results go to <warehouse>/drift/<manifest name>/ (Delta). See docs/drift.md."},
    footer = {"", "Exit codes: 0 no alert, 1 runtime failure, 2 invalid input, 3 a feature alerted."})
public final class DriftCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @picocli.CommandLine.Option(names = "--reference-run", paramLabel = "RUN_ID",
      description = "Compare the current snapshots with those an earlier snapshot run wrote (both at the current "
          + "window's days) instead of the declared reference window.")
  String referenceRun;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    StepStart start = StepStart.of("drift", manifest, sparkOptions);
    DriftResult result = start.job(new DriftJob()).featureSet(new FeatureSetLoader().forManifest(manifest))
        .referenceRun(referenceRun).execute();
    System.out.print(DriftSummary.format(result));
    return result.alerted() ? RehearsalCli.EXIT_CHECK_FAILED : RehearsalCli.EXIT_OK;
  }
}
