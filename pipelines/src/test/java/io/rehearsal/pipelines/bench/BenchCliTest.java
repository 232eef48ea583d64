package io.rehearsal.pipelines.bench;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import io.rehearsal.pipelines.cli.BackfillCommand;
import io.rehearsal.pipelines.cli.RehearsalCli;
import java.util.List;
import java.util.Set;
import org.junit.Test;
import picocli.CommandLine;

/** The benchmarks have their own entry point; the product's command line does not offer them. No Spark. */
public class BenchCliTest {

  @Test
  public void theBenchmarksAreCommandsOfTheirEntryPointOnly() {
    assertEquals(List.of("help", "backfill", "drift", "testbed"), List.copyOf(new CommandLine(new BenchCli()).getSubcommands()
        .keySet()));
    Set<String> product = new CommandLine(new RehearsalCli()).getSubcommands().keySet();
    assertFalse(product.toString(), product.contains("bench-backfill"));
    assertFalse(product.toString(), product.contains("bench-drift"));
    // The product's own backfill is its step, not the benchmark; the old benchmark name is unknown there.
    assertEquals(BackfillCommand.class, new CommandLine(new RehearsalCli()).getSubcommands().get("backfill")
        .getCommandSpec().userObject().getClass());
    assertThrows(CommandLine.UnmatchedArgumentException.class,
        () -> new CommandLine(new RehearsalCli()).parseArgs("bench-backfill", "--lake", "lake"));
  }

  @Test
  public void aMissingBenchmarkIsAUsageError() {
    assertEquals(RehearsalCli.EXIT_INVALID, RehearsalCli.execute(new BenchCli()));
  }
}
