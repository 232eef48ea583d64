package io.rehearsal.transforms.mapping;

import java.util.List;
import java.util.Objects;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every source row with its mapped canonical event ({@link SourceMapping#EVENT}, a struct) and why it is
 * excluded ({@link SourceMapping#REASON}, null when kept). {@code reasons} lists every reason a row can
 * get, in the order they are tested: a row is counted under the first that applies.
 */
public record AnnotatedRows(Dataset<Row> rows, List<String> reasons) {
  public AnnotatedRows {
    Objects.requireNonNull(rows, "rows");
    reasons = List.copyOf(reasons);
  }
}
