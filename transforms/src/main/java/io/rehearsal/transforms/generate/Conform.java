package io.rehearsal.transforms.generate;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Projects generated columns onto a canonical schema: names, order, types and nullability. */
final class Conform {

  private Conform() {}

  /**
   * {@link Dataset#to} checks types and refuses nullable values for NOT NULL fields, but keeps a column
   * NOT NULL where the schema allows nulls; {@code CASE WHEN c IS NOT NULL THEN c END} declares it
   * nullable without changing a value (the optimizer folds it away again).
   */
  static Dataset<Row> to(Dataset<Row> df, StructType schema) {
    Dataset<Row> typed = df.to(schema);
    List<Column> columns = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Column c = col(field.name());
      boolean declaredNullable = typed.schema().apply(field.name()).nullable();
      columns.add(field.nullable() && !declaredNullable ? when(c.isNotNull(), c).as(field.name()) : c);
    }
    return typed.select(columns.toArray(new Column[0]));
  }
}
