package io.rehearsal.transforms.mapping;

import io.rehearsal.transforms.RehearsalException;

/**
 * Uniform wording for mapping errors: {@code "<origin>: <field path> <problem>: expected <x>, got <y>.
 * Fix: <fix>"}, where the origin names the mapping file (e.g. {@code "Mapping conf/mappings/x.yaml"}).
 */
public final class MappingErrors {

  private MappingErrors() {}

  public static RehearsalException invalid(String origin, String path, String problem, String expected, String got, String fix) {
    return invalid(origin, path, problem, expected, got, fix, null);
  }

  public static RehearsalException invalid(
      String origin, String path, String problem, String expected, String got, String fix, Throwable underlying) {
    String where = path == null || path.isEmpty() ? origin + ": " : origin + ": " + path + " ";
    return RehearsalException.invalidInput(where + problem, "expected " + expected + ", got " + got, fix, underlying);
  }

  /** Quotes a value for a message: {@code 'value'}, or {@code nothing} when it is null. */
  public static String quote(String value) {
    return value == null ? "nothing" : "'" + value + "'";
  }
}
