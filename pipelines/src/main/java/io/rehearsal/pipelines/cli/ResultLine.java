package io.rehearsal.pipelines.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.run.CanonicalJson;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The one line of JSON that ends standard output of every subcommand, for schedulers (Airflow pushes a task's last
 * line to XCom). {@code run} and {@code demo} print their own (run id, status, verdict, record, report); for the
 * others {@link RehearsalCli#main} adds {@code {"command", "exit_code", "run_id", "status"}}.
 */
final class ResultLine {

  private static volatile String runId;

  private ResultLine() {}

  /** The run id a subcommand used (its Delta commits carry it); null when it ran no Spark job. */
  static void runId(String id) {
    runId = id;
  }

  static String generic(String command, int exitCode) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("command", command);
    json.put("exit_code", exitCode);
    json.put("run_id", runId);
    json.put("status", switch (exitCode) {
      case RehearsalCli.EXIT_OK -> "ok";
      case RehearsalCli.EXIT_INVALID -> "invalid_input";
      case RehearsalCli.EXIT_CHECK_FAILED -> "check_failed";
      default -> "error";
    });
    return CanonicalJson.of(json);
  }

  /** Help and version output stays as it is: no JSON line after it. */
  static boolean isHelpOrVersion(String[] args) {
    return args.length == 0 || "help".equals(args[0])
        || List.of(args).stream().anyMatch(a -> List.of("-h", "--help", "-V", "--version").contains(a));
  }

  /** Standard output that remembers whether its last complete line was a JSON object (or closed one). */
  static final class TrackingOut extends PrintStream {

    private final LastLine lastLine;

    private TrackingOut(LastLine lastLine) {
      super(lastLine, true, StandardCharsets.UTF_8);
      this.lastLine = lastLine;
    }

    static TrackingOut wrap(OutputStream out) {
      return new TrackingOut(new LastLine(out));
    }

    boolean endsWithJsonLine() {
      flush();
      return lastLine.json && lastLine.current == 0;
    }
  }

  private static final class LastLine extends FilterOutputStream {
    /** First non-blank byte of the line being written (0: none yet). */
    private int current;
    private boolean json;

    LastLine(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      if (b == '\n') {
        if (current != 0) {
          // '}' closes a JSON document a subcommand printed on several lines (show --json): its output is JSON.
          json = current == '{' || current == '}';
        }
        current = 0;
      } else if (current == 0 && b != ' ' && b != '\t' && b != '\r') {
        current = b;
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      for (int i = off; i < off + len; i++) {
        write(b[i]);
      }
    }
  }
}
