package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.lake.GenerateJob;
import io.rehearsal.pipelines.lake.GenerateResult;
import io.rehearsal.transforms.generate.DemoLakeGenerator;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rehearsal generate}: the deterministic synthetic demo lake as Delta tables. */
@Command(
    name = "generate",
    header = "Generate the synthetic demo lake as Delta tables.",
    mixinStandardHelpOptions = true,
    description = {
        "Generate the deterministic synthetic retail demo lake and write it as Delta tables under --out: "
            + "events (view, click, add_to_cart, purchase, return), users and items in the canonical schemas.",
        "The lake covers 182 days from 2025-01-01 (UTC) with weekly seasonality, a two-week promotion from "
            + "2025-04-14, a +15% electronics price shift from 2025-05-19 and items launched in the last six weeks "
            + "(docs/demo-lake.md).",
        "The same --seed and --scale always give identical tables, on any machine or core count. Scale 1 is "
            + "1,000 users and about 75k events; events grow linearly with the scale (scale 150 is about 11.5M).",
        "Re-running overwrites each table in a new Delta version, with the run id as the commit's userMetadata."
    })
public final class GenerateCommand implements Callable<Integer> {

  /** About 2.3M events, written in well under a minute on two local cores. */
  static final int DEFAULT_SCALE = 30;

  @Option(names = "--seed", defaultValue = "42", description = "Seed of every random choice (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scale", defaultValue = "" + DEFAULT_SCALE, paramLabel = "N",
      description = "Size multiplier, 1 to 10000: N * 1,000 users, N * 300 items (default: ${DEFAULT-VALUE}).")
  int scale;

  @Option(names = "--out", defaultValue = "demo-data/lake", paramLabel = "DIR",
      description = "Output directory for the events, users and items Delta tables (default: ${DEFAULT-VALUE}).")
  String out;

  @Mixin SparkOptions sparkOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Reject a bad seed/scale before paying for a Spark session; the job validates again (cheap).
    DemoLakeGenerator.builder().seed(seed).scale(scale).build();
    String runId = sparkOptions.runId("generate");
    GenerateResult result = new GenerateJob().spark(sparkOptions.session("rehearsal generate"))
        .seed(seed)
        .scale(scale)
        .outDir(out)
        .runId(runId)
        .progress(Progress.to(System.out))
        .execute();
    return CommandSummary.print(spec, result.summaryLines());
  }
}
