package io.rehearsal.pipelines.init;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The first rows of a source as {@code rehearsal init} reads them: its columns with their Spark types, and the sampled
 * values rendered as text (null where the reader gave null). What the scaffold guesses from, nothing more.
 *
 * @param path the source as given on the command line
 * @param format csv, parquet or delta
 * @param options the reader options it was read with (for CSV: the detected separator and the defaults of a mapping)
 * @param columns the source's columns in order, each with its Spark type name ({@code string}, {@code timestamp}, ...)
 * @param rows the sampled rows, each value at its column's index
 */
public record SourceSample(String path, String format, Map<String, String> options, List<Column> columns,
    List<List<String>> rows) {

  /** A source column: its exact name and Spark's simple type name. */
  public record Column(String name, String type) {
    public Column {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
    }
  }

  public SourceSample {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(format, "format");
    options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    columns = List.copyOf(columns);
    List<List<String>> copied = new ArrayList<>();
    for (List<String> row : rows) {
      copied.add(Collections.unmodifiableList(new ArrayList<>(row)));
    }
    rows = Collections.unmodifiableList(copied);
  }

  /** The sampled values of one column, nulls included. */
  public List<String> values(int column) {
    List<String> out = new ArrayList<>(rows.size());
    for (List<String> row : rows) {
      out.add(column < row.size() ? row.get(column) : null);
    }
    return out;
  }
}
