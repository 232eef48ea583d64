package io.rehearsal.pipelines.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** A command's summary: the lines of its result, printed to the command's standard output. */
final class CommandSummary {

  private CommandSummary() {}

  /** Prints the lines; the command succeeded. */
  static int print(CommandSpec spec, List<String> lines) {
    lines.forEach(spec.commandLine().getOut()::println);
    spec.commandLine().getOut().flush();
    return RehearsalCli.EXIT_OK;
  }
}
