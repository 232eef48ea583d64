package io.rehearsal.pipelines.cli;

import io.rehearsal.transforms.RehearsalException;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintWriter;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the application jar: {@code spark-submit ... rehearsal-app.jar <subcommand>}. */
@Command(
    name = "rehearsal",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Reproducible pre-production testbeds for retail recommendation engines.",
    footer = {
        "",
        "Exit codes: 0 success, 1 runtime failure, 2 invalid input or usage,",
        "3 a check failed (parity, drift alert, gate verdict FAIL, simulation failures)."
    },
    subcommands = {
        CommandLine.HelpCommand.class,
        DemoCommand.class,
        RunCommand.class,
        ShowCommand.class,
        VerifyLedgerCommand.class,
        ReproduceCommand.class,
        GenerateCommand.class,
        ValidateCommand.class,
        SnapshotCommand.class,
        BackfillCommand.class,
        ParityCommand.class,
        EvaluateCommand.class,
        DriftCommand.class,
        SimulateCommand.class,
        InitCommand.class,
        ImportCommand.class,
    })
public final class RehearsalCli implements Runnable {

  public static final int EXIT_OK = 0;
  public static final int EXIT_RUNTIME = 1;
  public static final int EXIT_INVALID = 2;
  /** The run worked and a quality check or gate says no: the data is not fit for release. */
  public static final int EXIT_CHECK_FAILED = 3;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing subcommand: choose one of " + spec.subcommands().keySet());
  }

  public static void main(String[] args) {
    ResultLine.TrackingOut out = ResultLine.TrackingOut.wrap(
        new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
    System.setOut(out);
    int exitCode = execute(args);
    if (!ResultLine.isHelpOrVersion(args) && !out.endsWithJsonLine()) {
      out.println(ResultLine.generic(args[0], exitCode));
    }
    exit(exitCode);
  }

  /** Stops Spark and ends the JVM with the exit code (the end of every entry point's main). */
  public static void exit(int exitCode) {
    // Stop Spark before the JVM exits: on a cluster (local-cluster, standalone) the executors then end cleanly
    // instead of being killed by the shutdown hook while the master tries to replace them.
    for (scala.Option<SparkSession> session : List.of(SparkSession.getActiveSession(), SparkSession.getDefaultSession())) {
      if (session.isDefined()) {
        session.get().stop();
      }
    }
    System.out.flush();
    // YARN's ApplicationMaster reports a driver that calls System.exit as failed, even with 0 (and starts it
    // again): in cluster deploy mode a successful run returns from main instead.
    if (exitCode == EXIT_OK && "cluster".equals(System.getProperty("spark.submit.deployMode"))) {
      return;
    }
    System.exit(exitCode);
  }

  /** Runs the CLI without exiting the JVM; used by tests and by {@code demo}. */
  public static int execute(String... args) {
    return execute(new RehearsalCli(), args);
  }

  /** Runs a command line with this one's error handling (the catalogue's messages and exit codes). */
  public static int execute(Object root, String... args) {
    CommandLine cli = new CommandLine(root);
    cli.setExecutionExceptionHandler(RehearsalCli::handleFailure);
    return cli.execute(args);
  }

  private static int handleFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    RehearsalException rehearsal = findRehearsalException(e);
    if (rehearsal != null) {
      err.println("error: " + rehearsal.getMessage());
      err.flush();
      return rehearsal.exitCode();
    }
    err.println("error: unexpected failure in '" + cmd.getCommandName() + "': " + e);
    e.printStackTrace(err);
    err.flush();
    return EXIT_RUNTIME;
  }

  private static RehearsalException findRehearsalException(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof RehearsalException) {
        return (RehearsalException) c;
      }
    }
    return null;
  }
}
