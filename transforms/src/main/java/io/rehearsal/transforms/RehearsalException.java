package io.rehearsal.transforms;

import java.util.Objects;

/**
 * The one exception type for errors a user can act on. Every message says what went wrong (problem),
 * why (cause, with the actual values) and, where there is one, how to fix it.
 *
 * <p>Built only through the factory methods below so the wording stays uniform:
 * {@code "Cannot sample segment 'loyalty': rate must be in (0, 1], got 1.5. Fix: ..."}.
 */
public final class RehearsalException extends RuntimeException {

  /** Maps onto the documented process exit codes of {@code bin/rehearsal}. */
  public enum Kind {
    /** Bad arguments, manifest, mapping or input data shape: exit code 2. */
    INVALID_INPUT(2),
    /** Something failed while running: exit code 1. */
    RUNTIME(1);

    private final int exitCode;

    Kind(int exitCode) {
      this.exitCode = exitCode;
    }

    public int exitCode() {
      return exitCode;
    }
  }

  private final Kind kind;
  private final String problem;
  private final String cause;
  private final String fix;

  private RehearsalException(Kind kind, String problem, String cause, String fix, Throwable underlying) {
    super(format(problem, cause, fix), underlying);
    this.kind = kind;
    this.problem = problem;
    this.cause = cause;
    this.fix = fix;
  }

  public static RehearsalException invalidInput(String problem, String cause, String fix) {
    return new RehearsalException(Kind.INVALID_INPUT, problem, cause, fix, null);
  }

  public static RehearsalException invalidInput(String problem, String cause, String fix, Throwable underlying) {
    return new RehearsalException(Kind.INVALID_INPUT, problem, cause, fix, underlying);
  }

  public static RehearsalException runtime(String problem, String cause, String fix, Throwable underlying) {
    return new RehearsalException(Kind.RUNTIME, problem, cause, fix, underlying);
  }

  /** Argument check: throws an INVALID_INPUT error with {@code problem: cause} when the condition is false. */
  public static void check(boolean condition, String problem, String cause) {
    if (!condition) {
      throw invalidInput(problem, cause, null);
    }
  }

  private static String format(String problem, String cause, String fix) {
    Objects.requireNonNull(problem, "problem");
    StringBuilder sb = new StringBuilder(problem);
    // A cause that is a list (starts with a line break) keeps its lines; the fix then gets its own line.
    boolean listed = cause != null && cause.startsWith("\n");
    if (cause != null && !cause.isEmpty()) {
      sb.append(listed ? ":" : ": ").append(cause);
    }
    if (fix != null && !fix.isEmpty()) {
      sb.append(listed ? "\nFix: " : ". Fix: ").append(fix);
    }
    return sb.toString();
  }

  public Kind kind() {
    return kind;
  }

  public int exitCode() {
    return kind.exitCode();
  }

  public String problem() {
    return problem;
  }

  public String causeText() {
    return cause;
  }

  public String fix() {
    return fix;
  }

  /**
   * The first line of an underlying error's message, stripped, for quoting it in a cause: Spark's analysis
   * errors continue with the whole plan. {@code ifAbsent} when there is no message.
   */
  public static String firstLine(String message, String ifAbsent) {
    if (message == null) {
      return ifAbsent;
    }
    String trimmed = message.strip();
    int newline = trimmed.indexOf('\n');
    return newline < 0 ? trimmed : trimmed.substring(0, newline).strip();
  }
}
