package io.rehearsal.transforms.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.SourceMapping.AGG;
import static io.rehearsal.transforms.mapping.SourceMapping.CANDIDATE;
import static io.rehearsal.transforms.mapping.SourceMapping.EVENT;
import static io.rehearsal.transforms.mapping.SourceMapping.EVENT_ALIAS;
import static io.rehearsal.transforms.mapping.SourceMapping.KEY;
import static io.rehearsal.transforms.mapping.SourceMapping.OCCURRENCE;
import static io.rehearsal.transforms.mapping.SourceMapping.RAW;
import static io.rehearsal.transforms.mapping.SourceMapping.ROWS;
import static io.rehearsal.transforms.mapping.SourceMapping.SORTED;
import static io.rehearsal.transforms.mapping.SourceMapping.VALUE;
import static io.rehearsal.transforms.mapping.SourceMapping.WHERE;
import static io.rehearsal.transforms.mapping.SourceMapping.asNullable;
import static io.rehearsal.transforms.mapping.SourceMapping.checkSchema;
import static io.rehearsal.transforms.mapping.SourceMapping.columns;
import static io.rehearsal.transforms.mapping.SourceMapping.firstLine;
import static io.rehearsal.transforms.mapping.SourceMapping.nonNull;
import static io.rehearsal.transforms.mapping.SourceMapping.parseAndFinish;
import static io.rehearsal.transforms.mapping.SourceMapping.withColumns;
import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.get;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The users or items table of a mapping, derived from the kept rows: one row per key, each declared column
 * aggregated over that key's rows as the mapping says (min, max, most recent, earliest, median, most frequent) or a
 * constant, in the canonical table's columns. {@link SourceMapping#derive} builds both with it.
 */
final class DerivedTable {

  private DerivedTable() {}

  static Dataset<Row> of(
      MappingSpec spec, String table, Dataset<Row> kept, List<String> sourceColumns, String key,
      Map<String, DerivedColumn> columns, StructType schema) {
    boolean seesEvent = sourceColumns.stream().noneMatch(c -> c.equalsIgnoreCase(EVENT_ALIAS));
    List<Column> view = new ArrayList<>(List.of(columns(sourceColumns)));
    view.add(col(EVENT));
    if (seesEvent) {
      view.add(col(EVENT).as(EVENT_ALIAS));
    }
    view.add(nonNull(col(EVENT + "." + key), DataTypes.StringType).as(KEY));
    Dataset<Row> rows = kept.select(view.toArray(new Column[0]));
    MappingCompiler compiler = new MappingCompiler(spec.origin(), rows, sourceColumns,
        "the source columns " + sourceColumns + " and event.<canonical event column>");

    Map<String, ValueConversion> conversions = new LinkedHashMap<>();
    Map<String, Column> raw = new LinkedHashMap<>();
    Map<String, Column> where = new LinkedHashMap<>();
    for (Map.Entry<String, DerivedColumn> e : columns.entrySet()) {
      String name = e.getKey();
      String path = table + ".columns." + name;
      DerivedColumn column = e.getValue();
      if (column.aggregation() == null) {
        continue;
      }
      boolean usesExpressions = column.value().kind() == ValueSpec.Kind.EXPR || column.where() != null;
      if (usesExpressions && !seesEvent) {
        throw invalid(spec.origin(), path, "cannot see the mapped event",
            "a source without a column named '" + EVENT_ALIAS + "' (" + table + " expressions see the mapped event as "
                + EVENT_ALIAS + ".<column>)",
            "a source with column '" + EVENT_ALIAS + "'", "rename that source column, or use source: instead of expr:");
      }
      DataType target = schema.apply(name).dataType();
      MappingCompiler.Compiled value = compiler.value(path, column.value(), target);
      conversions.put(name, new ValueConversion(value.type(), target, column.value().format(), spec.timeZone()));
      raw.put(RAW + name, value.column());
      if (column.where() != null) {
        where.put(WHERE + name, compiler.condition(path + ".where", column.where()));
      }
    }
    rows = withColumns(rows, raw);
    rows = withColumns(rows, where);
    rows = parseAndFinish(spec, table + ".columns.", rows, conversions);

    List<Column> aggregates = new ArrayList<>();
    Map<String, Column> afterAggregation = new LinkedHashMap<>();
    List<String> mostFrequent = new ArrayList<>();
    for (String name : conversions.keySet()) {
      DerivedColumn column = columns.get(name);
      Column v = col(VALUE + name);
      if (column.where() != null) {
        v = when(col(WHERE + name), v);
      }
      Column ordered = when(v.isNotNull(), struct(col(EVENT + ".event_ts"), col(EVENT + ".event_id"), v.as("v")));
      Column aggregate;
      String alias = AGG + name;
      switch (column.aggregation()) {
        case MIN:
          aggregate = min(v);
          break;
        case MAX:
          aggregate = max(v);
          break;
        case MOST_RECENT:
          aggregate = max(ordered).getField("v");
          break;
        case EARLIEST:
          aggregate = min(ordered).getField("v");
          break;
        case MEDIAN:
          aggregate = array_sort(collect_list(v));
          alias = SORTED + name;
          Column sorted = col(alias);
          Column middle = floor(size(sorted).minus(1).divide(2)).cast(DataTypes.IntegerType);
          afterAggregation.put(AGG + name, get(sorted, middle));
          break;
        case MOST_FREQUENT:
          rows = rows.withColumn(CANDIDATE + name, v);
          mostFrequent.add(name);
          continue;
        default:
          throw new IllegalStateException("Unhandled aggregation " + column.aggregation());
      }
      String path = table + ".columns." + name + ".aggregate";
      aggregates.add(compiler.aggregate(path, rows, aggregate, column.aggregation()).as(alias));
    }
    aggregates.add(0, count(lit(1)).as(ROWS));
    Dataset<Row> result = rows.groupBy(col(KEY))
        .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0]));
    result = withColumns(result, afterAggregation);
    for (String name : mostFrequent) {
      result = joinMostFrequent(spec, table, rows, result, name);
    }

    List<Column> out = new ArrayList<>();
    for (StructField field : schema.fields()) {
      Column value;
      DerivedColumn column = columns.get(field.name());
      if (field.name().equals(key)) {
        value = col(KEY);
      } else if (column == null) {
        value = lit(null).cast(field.dataType());
      } else if (column.aggregation() == null) {
        Object constant = ValueConversion.constantValue(field.dataType(), column.value().text());
        value = asNullable(lit(constant).cast(field.dataType()));
      } else {
        value = asNullable(col(AGG + field.name()).cast(field.dataType()));
      }
      out.add(value.as(field.name()));
    }
    return checkSchema(result.select(out.toArray(new Column[0])), schema);
  }

  /** Most frequent non-null value per key; ties go to the smallest value. */
  private static Dataset<Row> joinMostFrequent(MappingSpec spec, String table, Dataset<Row> rows, Dataset<Row> result,
      String name) {
    String candidate = CANDIDATE + name;
    String otherKey = KEY + "_" + name;
    Dataset<Row> top;
    try {
      top = rows.filter(col(candidate).isNotNull())
          .groupBy(col(KEY).as(otherKey), col(candidate).as(AGG + name))
          .agg(count(lit(1)).as(ROWS))
          .withColumn(OCCURRENCE, row_number().over(
              Window.partitionBy(col(otherKey)).orderBy(col(ROWS).desc(), col(AGG + name).asc())))
          .filter(col(OCCURRENCE).equalTo(1))
          .drop(ROWS, OCCURRENCE);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(spec.origin(), table + ".columns." + name + ".aggregate", "cannot be computed for this value",
            "a value type that can be compared (most_frequent breaks ties by the smallest value)", "'most_frequent' ("
                + firstLine(e) + ")", "aggregate a comparable value, e.g. a string or a number", e);
      }
      throw e;
    }
    return result.join(top, result.col(KEY).equalTo(top.col(otherKey)), "left").drop(otherKey);
  }
}
