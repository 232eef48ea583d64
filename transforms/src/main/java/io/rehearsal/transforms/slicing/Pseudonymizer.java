package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Replaces declared columns by {@code sha2(salt || ':' || value, 256)} (nulls stay null) and drops
 * declared columns. The same salt maps the same value to the same pseudonym in every table, so keys
 * such as user_id still join.
 */
public final class Pseudonymizer {

  private Pseudonymizer() {}

  public static Dataset<Row> apply(Dataset<Row> table, PrivacySpec privacy, String salt) {
    Set<String> present = new HashSet<>(Arrays.asList(table.columns()));
    Dataset<Row> out = table;
    for (String column : privacy.pseudonymize()) {
      if (present.contains(column)) {
        if (salt == null || salt.isEmpty()) {
          throw new IllegalArgumentException("A non-empty salt is required to pseudonymize '" + column + "'");
        }
        out = out.withColumn(column, when(col(column).isNull(), lit(null).cast("string"))
            .otherwise(sha2(concat(lit(salt + ":"), col(column).cast("string")), 256)));
      }
    }
    for (String column : privacy.drop()) {
      if (present.contains(column)) {
        out = out.drop(column);
      }
    }
    return out;
  }
}
