package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;
import picocli.CommandLine;

/** {@code rehearsal generate} argument handling; GenerateJobTest covers the writes. */
public class GenerateCommandTest {

  @Test
  public void invalidScaleExitsWithTwoAndTheActualValueBeforeSparkStarts() {
    PrintStream oldErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code;
    // Test classes share one JVM and may share a session started earlier: the command must not start another.
    scala.Option<org.apache.spark.sql.SparkSession> before = org.apache.spark.sql.SparkSession.getActiveSession();
    try {
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      code = RehearsalCli.execute("generate", "--scale", "0", "--out", "target/never-written");
    } finally {
      System.setErr(oldErr);
    }
    assertEquals(RehearsalCli.EXIT_INVALID, code);
    assertEquals("error: Cannot generate demo lake: scale must be >= 1, got 0", err.toString(StandardCharsets.UTF_8).strip());
    assertEquals("no Spark session was started", before, org.apache.spark.sql.SparkSession.getActiveSession());
    assertTrue("nothing was written", !new java.io.File("target/never-written").exists());
  }

  @Test
  public void defaultsAreDocumentedInTheHelp() {
    CommandLine cli = new CommandLine(new RehearsalCli());
    String help = cli.getSubcommands().get("generate").getUsageMessage(CommandLine.Help.Ansi.OFF);
    assertTrue(help, help.contains("--seed=<seed>") && help.contains("(default: 42)"));
    assertTrue(help, help.contains("--scale=N") && help.contains("(default: " + GenerateCommand.DEFAULT_SCALE + ")"));
    assertTrue(help, help.contains("--out=DIR") && help.contains("(default: demo-data/lake)"));
    assertTrue(help, help.contains("--run-id") && help.contains("2025-01-01"));
  }
}
