package io.rehearsal.pipelines.bench;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.cli.VersionProvider;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of the benchmarks, apart from the product's command line: bench/run starts it through bin/rehearsal
 * with {@code REHEARSAL_MAIN_CLASS=io.rehearsal.pipelines.bench.BenchCli}. Each benchmark times Rehearsal's work
 * beside a bare Spark job over the same data, in one Spark application (bench/run).
 */
@Command(
    name = "rehearsal-bench",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Benchmarks of Rehearsal's steps against bare Spark jobs over the same data (bench/run).",
    subcommands = {CommandLine.HelpCommand.class, BackfillBenchCommand.class, DriftBenchCommand.class,
        TestbedBenchCommand.class})
public final class BenchCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing benchmark: choose one of "
        + spec.subcommands().keySet());
  }

  public static void main(String[] args) {
    RehearsalCli.exit(RehearsalCli.execute(new BenchCli(), args));
  }
}
