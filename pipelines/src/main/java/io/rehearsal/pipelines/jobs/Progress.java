package io.rehearsal.pipelines.jobs;

import java.io.PrintStream;
import java.util.Locale;

/** One line per step with the elapsed time since the command started, e.g. {@code [  4.1s] snapshot ...}. */
public final class Progress {

  private static final Progress SILENT = new Progress(null);

  private final PrintStream out;
  private final long startNanos = System.nanoTime();

  private Progress(PrintStream out) {
    this.out = out;
  }

  public static Progress to(PrintStream out) {
    return new Progress(out);
  }

  public static Progress silent() {
    return SILENT;
  }

  public void step(String format, Object... args) {
    if (out == null) {
      return;
    }
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", seconds, String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /** Formats a count with thousands separators: 12,345. */
  public static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }
}
