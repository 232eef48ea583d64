package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.features.BackfillJob;
import io.rehearsal.pipelines.features.BackfillResult;
import io.rehearsal.pipelines.features.BackfillSummary;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "backfill", mixinStandardHelpOptions = true,
    header = "Compute daily point-in-time features from the snapshots.",
    description = {
        "Writes daily as-of user and item feature tables from each featured segment's snapshot.",
        "Replays the snapshot in event time for the manifest's features.as_of days (point-in-time correct) into",
        "<warehouse>/features/<snapshot_id>/.",
        "Days already computed with the same feature set from the same snapshot are kept; only missing days are computed."},
    footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 invalid manifest, feature set or missing snapshot."})
public final class BackfillCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--full", description = "Recompute every requested day, even those already up to date.")
  boolean full;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    FeatureSet featureSet = new FeatureSetLoader().forManifest(manifest);
    StepStart start = StepStart.of("backfill", manifest, sparkOptions);
    BackfillResult result = start.job(new BackfillJob()).featureSet(featureSet).full(full).execute();
    System.out.print(BackfillSummary.format(result));
    return RehearsalCli.EXIT_OK;
  }
}
