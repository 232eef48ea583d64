package io.rehearsal.transforms.mapping;

import static io.rehearsal.transforms.mapping.MappingErrors.invalid;
import static io.rehearsal.transforms.mapping.MappingErrors.quote;
import static io.rehearsal.transforms.mapping.ValueConversion.quoted;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;

/**
 * Compiles a mapping's values and conditions against one frame (the source, or the staged rows users and items
 * aggregate), naming the field path in every error: unknown columns, SQL that does not parse or resolve, types that
 * cannot become the canonical column's, aggregate or non-deterministic expressions. {@link SourceMapping} uses it.
 */
final class MappingCompiler {

  /** A compiled value and the type Spark resolved for it. */
  record Compiled(Column column, DataType type) {}

  private final String origin;
  private final Dataset<Row> frame;
  private final List<String> sourceColumns;
  private final String scope;

  MappingCompiler(String origin, Dataset<Row> frame, List<String> sourceColumns, String scope) {
    this.origin = origin;
    this.frame = frame;
    this.sourceColumns = sourceColumns;
    this.scope = scope;
  }

  Compiled value(String path, ValueSpec value, DataType target) {
    String field = path + "." + value.kind().field();
    Compiled compiled;
    switch (value.kind()) {
      case SOURCE:
        if (!sourceColumns.contains(value.text())) {
          throw invalid(origin, field, "refers to an unknown source column", "one of " + sourceColumns,
              quote(value.text()), "use one of the source's column names (they are case-sensitive)");
        }
        compiled = new Compiled(col(quoted(value.text())), frame.schema().apply(value.text()).dataType());
        break;
      case EXPR:
        compiled = expression(field, value.text());
        break;
      case CONSTANT:
        Column constant = lit(ValueConversion.constantValue(target, value.text()));
        compiled = new Compiled(constant, frame.select(constant).schema().fields()[0].dataType());
        break;
      default:
        throw new IllegalStateException("Unhandled value kind " + value.kind());
    }
    if (!ValueConversion.accepts(target, compiled.type())) {
      throw invalid(origin, field, "has a type that cannot become " + target.simpleString(),
          ValueConversion.acceptedTypes(target), compiled.type().simpleString(),
          "convert it with an expr, e.g. CAST(... AS STRING)");
    }
    if (value.format() != null && !(compiled.type() instanceof StringType)) {
      throw invalid(origin, path + ".format", "applies only to string values", "a string value to parse",
          "a value of type " + compiled.type().simpleString(), "remove the format: the value is already typed");
    }
    return compiled;
  }

  Column condition(String path, String sql) {
    Compiled compiled = expression(path, sql);
    if (!(compiled.type() instanceof BooleanType)) {
      throw invalid(origin, path, "is not a condition", "a boolean expression", "type " + compiled.type().simpleString()
          + " from " + quote(sql), "compare the value, e.g. Quantity < 0");
    }
    return compiled.column();
  }

  Compiled expression(String path, String sql) {
    Column column;
    try {
      column = expr(sql);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(origin, path, "is not a valid Spark SQL expression", "an expression over " + scope,
            quote(sql) + " (" + SourceMapping.firstLine(e) + ")", "correct the SQL syntax", e);
      }
      throw e;
    }
    Dataset<Row> probe;
    try {
      probe = frame.select(column);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(origin, path, "cannot be evaluated", "an expression over " + scope,
            quote(sql) + " (" + SourceMapping.firstLine(e) + ")", "refer only to existing columns and Spark SQL functions",
            e);
      }
      throw e;
    }
    LogicalPlan plan = probe.queryExecution().analyzed();
    if (!(plan instanceof Project) || !((Project) plan).child().equals(frame.queryExecution().analyzed())) {
      throw invalid(origin, path, "is not a row-level expression",
          "an expression without aggregate, window or generator functions", quote(sql),
          "compute one value per source row; users and items columns aggregate with 'aggregate'");
    }
    if (!plan.deterministic()) {
      throw invalid(origin, path, "is not deterministic", "a deterministic expression (imports must be reproducible)",
          quote(sql), "remove rand(), uuid(), shuffle() and similar functions");
    }
    return new Compiled(column, probe.schema().fields()[0].dataType());
  }

  /** Checks that an aggregate resolves over the staged rows (e.g. median needs comparable values). */
  Column aggregate(String path, Dataset<Row> rows, Column aggregate, Aggregation aggregation) {
    try {
      rows.groupBy(col(SourceMapping.KEY)).agg(aggregate);
    } catch (Exception e) {
      if (e instanceof AnalysisException) {
        throw invalid(origin, path, "cannot be computed for this value", "a value type that " + aggregation.label()
            + " can order", quote(aggregation.label()) + " (" + SourceMapping.firstLine(e) + ")",
            "aggregate a comparable value, e.g. a string, number or timestamp", e);
      }
      throw e;
    }
    return aggregate;
  }
}
