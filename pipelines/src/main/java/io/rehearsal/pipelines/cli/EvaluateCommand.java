package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.evaluation.EvaluateJob;
import io.rehearsal.pipelines.evaluation.EvaluateResult;
import io.rehearsal.pipelines.evaluation.EvaluationSummary;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true,
    header = "Compare the candidate's rankings with the baseline's, offline.",
    description = {
        "Offline ranking regression: scores the baseline and candidate of the manifest's models section on every",
        "evaluated segment's snapshot, computes per-user metrics against the held-out horizon after the cutoff,",
        "paired statistics per segment and slice, interleaving and shadow comparisons, and the declared gates.",
        "Results go to <warehouse>/evaluation/<manifest name>/ (Delta). See docs/metrics.md."},
    footer = {"", "Exit codes: 0 verdict PASS (or INCONCLUSIVE without --strict), 1 runtime failure, 2 invalid input,",
        "3 verdict FAIL (or INCONCLUSIVE with --strict)."})
public final class EvaluateCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;
  @Mixin ModelSaltOptions saltOptions;

  @Option(names = "--strict", description = "Exit 3 on an INCONCLUSIVE verdict too (a segment too small to judge).")
  boolean strict;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    StepStart start = StepStart.of("evaluate", manifest, sparkOptions);
    EvaluateResult result = start.job(new EvaluateJob()).salt(saltOptions.salt()).execute();
    System.out.print(EvaluationSummary.format(result, manifest.gates().primary().metric()));
    return exitCode(result, strict);
  }

  /** 3 on a FAIL verdict (and on INCONCLUSIVE with {@code --strict}), else 0. */
  public static int exitCode(EvaluateResult result, boolean strict) {
    CheckStatus overall = result.verdict().overall();
    boolean failed = overall.failsRun(strict);
    return failed ? RehearsalCli.EXIT_CHECK_FAILED : RehearsalCli.EXIT_OK;
  }
}
