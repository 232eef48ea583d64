package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import picocli.CommandLine;

/**
 * {@code rehearsal --help} lists every command with a one-line summary in one voice (an imperative sentence); the
 * details stay in each command's own help. Issue 23: the list used to show each description's first line, cut
 * mid-sentence ("run  One testbed run of a manifest: validate → plan (pre-registered in the ledger) → snapshot →
 * backfill →"), with "Generate …" beside "Checks …".
 */
public class HelpTextTest {

  /** The command list as written by hand, in the order a user meets the commands. */
  private static final List<String> EXPECTED = List.of(
      "  help           Display help information about the specified command.",
      "  demo           Generate the demo lake if missing, then run the demo manifest.",
      "  run            Run every step of a manifest; record the verdict in the ledger.",
      "  show           Show a run's record from the ledger.",
      "  verify-ledger  Verify the ledger's hash chain and the run record files.",
      "  reproduce      Rebuild a run's snapshots and features; compare their hashes.",
      "  generate       Generate the synthetic demo lake as Delta tables.",
      "  validate       Check a manifest and report every problem at once.",
      "  snapshot       Write each segment of a manifest as a Delta snapshot.",
      "  backfill       Compute daily point-in-time features from the snapshots.",
      "  parity         Compare the backfilled features with a production baseline.",
      "  evaluate       Compare the candidate's rankings with the baseline's, offline.",
      "  drift          Measure feature and prediction drift between two windows.",
      "  simulate       Re-score the models under catalog changes and cold start.",
      "  init           Scaffold a mapping for a source or a manifest for a lake.",
      "  import         Map an external source onto the canonical lake tables.");

  @Test
  public void everyCommandHasOneLineInOneVoice() {
    String help = new CommandLine(new RehearsalCli()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    String commands = help.substring(help.indexOf("Commands:\n") + "Commands:\n".length());
    List<String> lines = commands.substring(0, commands.indexOf("\n\n")).lines().toList();
    assertEquals(help, EXPECTED, lines);
    // The exit codes below the list, in whole lines (they were wrapped mid-sentence at 80 columns).
    assertTrue(help, help.endsWith("\nExit codes: 0 success, 1 runtime failure, 2 invalid input or usage,\n"
        + "3 a check failed (parity, drift alert, gate verdict FAIL, simulation failures).\n"));
  }

  @Test
  public void aCommandsOwnHelpStartsWithItsSummaryAndKeepsItsDetails() {
    CommandLine cli = new CommandLine(new RehearsalCli());
    for (String line : EXPECTED.subList(1, EXPECTED.size())) {
      String name = line.strip().split(" +")[0];
      String summary = line.substring(17);
      String own = cli.getSubcommands().get(name).getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertTrue(name + ":\n" + own, own.startsWith(summary + "\n"));
      // The details below the synopsis: more than the summary again.
      String afterSynopsis = own.substring(own.indexOf("\n", own.indexOf("Usage:")));
      assertTrue(name + ":\n" + own, afterSynopsis.strip().length() > summary.length() * 2);
    }
  }
}
