package io.rehearsal.pipelines.init;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Line-by-line YAML text with comments, as the scaffolds write it (Jackson's YAML writer cannot place comments). */
final class Yaml {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final StringBuilder text = new StringBuilder();

  void line(String line) {
    text.append(line).append('\n');
  }

  void blank() {
    text.append('\n');
  }

  String text() {
    return text.toString();
  }

  /** A YAML double-quoted scalar: a JSON string is one, with every character escaped as YAML reads it. */
  static String quote(String value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Text from the data made safe for a comment: no line breaks or other control characters. */
  static String comment(String text) {
    return text.replaceAll("\\p{Cntrl}", " ");
  }

  /** A column name as Spark SQL reads it whatever it holds: in backticks, a backtick doubled. */
  static String sqlName(String column) {
    return "`" + column.replace("`", "``") + "`";
  }
}
