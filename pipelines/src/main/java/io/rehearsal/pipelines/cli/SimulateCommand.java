package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.simulation.SimulationJob;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.pipelines.simulation.SimulationSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "simulate", mixinStandardHelpOptions = true,
    header = "Re-score the models under catalog changes and cold start.",
    description = {
        "Catalog-change simulation and cold-start stress: re-scores the baseline and candidate at the evaluation",
        "cutoff with each scenario of the manifest's simulation section (new SKUs, price shifts, retired items) and",
        "reports the change against the unchanged catalog (metrics, revenue@k, list churn, injected SKUs surfaced);",
        "then scores synthetic users without history and counts those left without a valid list.",
        "Results go to <warehouse>/simulation/<manifest name>/ (Delta). See docs/simulation.md."},
    footer = {"", "Exit codes: 0 every model within simulation.cold_start.max_failures, 1 runtime failure,",
        "2 invalid input, 3 a model had more failures than allowed."})
public final class SimulateCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;
  @Mixin ModelSaltOptions saltOptions;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    StepStart start = StepStart.of("simulate", manifest, sparkOptions);
    SimulationResult result = start.job(new SimulationJob()).salt(saltOptions.salt()).execute();
    System.out.print(SimulationSummary.format(result));
    return exitCode(result);
  }

  /** 3 when a model left more users without a valid list than the manifest allows, else 0. */
  public static int exitCode(SimulationResult result) {
    return result.passed() ? RehearsalCli.EXIT_OK : RehearsalCli.EXIT_CHECK_FAILED;
  }
}
