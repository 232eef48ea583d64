package io.rehearsal.transforms.mapping;

import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * Checks a datetime parse pattern before Spark sees it (Spark only rejects a bad pattern when the first
 * row is parsed). Patterns are local wall-clock patterns: the time zone comes from the mapping's
 * {@code time_zone}, so zone and offset letters are refused.
 */
public final class DatetimePatterns {

  /** Letters Spark 3 refuses when parsing, and the zone letters refused here, with what they mean. */
  private static final Map<Character, String> REFUSED = Map.ofEntries(
      Map.entry('Y', "week-based year, which Spark does not support"),
      Map.entry('W', "week of month, which Spark does not support"),
      Map.entry('w', "week of year, which Spark does not support"),
      Map.entry('u', "day of week number, which Spark does not support"),
      Map.entry('e', "localized day of week, which Spark does not support"),
      Map.entry('c', "localized day of week, which Spark does not support"),
      Map.entry('A', "milli of day, which Spark does not support"),
      Map.entry('n', "nano of second, which Spark does not support"),
      Map.entry('N', "nano of day, which Spark does not support"),
      Map.entry('p', "pad modifier, which Spark does not support"),
      Map.entry('E', "day of week, which Spark can format but not parse"),
      Map.entry('F', "aligned week of month, which Spark can format but not parse"),
      Map.entry('q', "quarter, which Spark can format but not parse"),
      Map.entry('Q', "quarter, which Spark can format but not parse"),
      Map.entry('V', "a time zone id; the zone comes from time_zone"),
      Map.entry('z', "a time zone name; the zone comes from time_zone"),
      Map.entry('O', "a zone offset; the zone comes from time_zone"),
      Map.entry('X', "a zone offset; the zone comes from time_zone"),
      Map.entry('x', "a zone offset; the zone comes from time_zone"),
      Map.entry('Z', "a zone offset; the zone comes from time_zone"));

  private DatetimePatterns() {}

  /** Why the pattern cannot be used for parsing, or null when it can. */
  public static String problem(String pattern) {
    if (pattern == null || pattern.isBlank()) {
      return "the pattern is empty";
    }
    boolean inLiteral = false;
    for (int i = 0; i < pattern.length(); i++) {
      char ch = pattern.charAt(i);
      if (ch == '\'') {
        inLiteral = !inLiteral;
        continue;
      }
      if (!inLiteral && REFUSED.containsKey(ch)) {
        return "letter '" + ch + "' is " + REFUSED.get(ch);
      }
    }
    try {
      DateTimeFormatter.ofPattern(pattern);
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
    return null;
  }
}
