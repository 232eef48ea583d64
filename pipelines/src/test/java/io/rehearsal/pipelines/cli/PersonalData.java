package io.rehearsal.pipelines.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * The demo lake's personal values (every user's id, email, phone and full name, read from the users table's Parquet
 * files with parquet-hadoop, no Spark) and a scan of text for any of them. Text of any size is scanned in a few
 * passes: every substring shaped like one of the values (an id, an email, a phone number, a run of two to four
 * words) is looked up — and every value is checked to have one of those shapes, so no value can slip past unseen.
 */
final class PersonalData {

  private static final List<Pattern> SHAPES = List.of(
      Pattern.compile("u\\d{6}"),
      // The domain ends with a letter or digit: an address at the end of a sentence is found without its full stop.
      Pattern.compile("[\\p{L}\\p{N}._%+-]+@[\\p{L}\\p{N}.-]*[\\p{L}\\p{N}]"),
      Pattern.compile("\\+\\d{1,3} \\d{4} \\d{6}"));
  /** Names: two to four words (particles too: "Lukas de Jong"), looked up as every run of consecutive words. */
  private static final Pattern WORD = Pattern.compile("[\\p{L}'-]+");
  private static final Pattern NAME = Pattern.compile("[\\p{L}'-]+(?: [\\p{L}'-]+){1,3}");

  private final Set<String> values;

  private PersonalData(Set<String> values) {
    this.values = values;
  }

  static PersonalData ofLake(Path lake) throws IOException {
    Set<String> values = new HashSet<>();
    try (Stream<Path> paths = Files.walk(lake.resolve("users"))) {
      for (Path file : paths.filter(p -> p.toString().endsWith(".parquet")).toList()) {
        try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
            new org.apache.hadoop.fs.Path(file.toUri())).withConf(new Configuration()).build()) {
          for (Group g = reader.read(); g != null; g = reader.read()) {
            for (String field : List.of("user_id", "email", "phone", "full_name")) {
              if (g.getFieldRepetitionCount(field) > 0) {
                values.add(g.getString(field, 0));
              }
            }
          }
        }
      }
    }
    for (String v : values) {
      if (SHAPES.stream().noneMatch(p -> p.matcher(v).matches()) && !NAME.matcher(v).matches()) {
        throw new AssertionError("the scan would not see the personal value '" + v + "': add its shape");
      }
    }
    if (values.size() < 3_000) {
      throw new AssertionError("only " + values.size() + " personal values in " + lake);
    }
    return new PersonalData(values);
  }

  int size() {
    return values.size();
  }

  /** One value of each shape (the first in sorted order): what the scan must find when it is there. */
  List<String> sample() {
    List<String> sorted = values.stream().sorted().toList();
    List<String> out = new java.util.ArrayList<>();
    for (Pattern shape : SHAPES) {
      sorted.stream().filter(v -> shape.matcher(v).matches()).findFirst().ifPresent(out::add);
    }
    sorted.stream().filter(v -> SHAPES.stream().noneMatch(p -> p.matcher(v).matches())).findFirst().ifPresent(out::add);
    return out;
  }

  /** The first personal value found in the text, or null. */
  String firstIn(String text) {
    for (Pattern shape : SHAPES) {
      Matcher m = shape.matcher(text);
      int from = 0;
      // Overlapping matches: a value may start inside a longer match (an email after a prefix, a name after a name).
      while (from < text.length() && m.find(from)) {
        if (values.contains(m.group())) {
          return m.group();
        }
        from = m.start() + 1;
      }
    }
    return nameIn(text);
  }

  /** Every run of two to four consecutive words separated by single spaces, looked up. */
  private String nameIn(String text) {
    Matcher m = WORD.matcher(text);
    int[] starts = new int[4];
    int[] ends = new int[4];
    int run = 0;
    while (m.find()) {
      if (run > 0 && !(m.start() == ends[(run - 1) % 4] + 1 && text.charAt(m.start() - 1) == ' ')) {
        run = 0;
      }
      starts[run % 4] = m.start();
      ends[run % 4] = m.end();
      run++;
      for (int words = 2; words <= Math.min(4, run); words++) {
        String candidate = text.substring(starts[(run - words) % 4], m.end());
        if (values.contains(candidate)) {
          return candidate;
        }
      }
    }
    return null;
  }

  void assertNoneIn(String what, String text) {
    String found = firstIn(text);
    if (found != null) {
      throw new AssertionError("the personal value '" + found + "' is in " + what);
    }
  }

  /** Scans a file line by line (event logs are tens of MB); returns the lines read. */
  long assertNoneInFile(Path file) throws IOException {
    long lines = 0;
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines++;
        assertNoneIn(file + ", line " + lines, line);
      }
    }
    return lines;
  }
}
