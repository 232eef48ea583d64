package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.RehearsalException;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.apache.spark.sql.catalyst.plans.logical.Project;
import org.apache.spark.sql.types.DataTypes;
import scala.Function1;
import scala.collection.JavaConverters;

/**
 * Checks that a segment filter is a deterministic Spark SQL boolean expression over existing
 * columns: parsed as an expression (so statements are rejected), no subqueries, every column
 * resolved, boolean typed, no aggregate or window functions, no randomness. Nothing is executed.
 */
final class FilterChecker {

  private final SparkSession spark;

  FilterChecker(SparkSession spark) {
    this.spark = spark;
  }

  /** Returns the problem with the filter, or empty when it is usable on {@code over}. */
  Optional<String> check(String filter, Dataset<Row> over) {
    Expression parsed;
    try {
      parsed = spark.sessionState().sqlParser().parseExpression(filter);
    } catch (ParseException e) {
      return Optional.of("not a valid Spark SQL expression (" + RehearsalException.firstLine(e.getMessage(), "")
          + "), got '" + filter + "'");
    }
    Function1<Expression, Object> isSubquery = e -> e instanceof SubqueryExpression;
    if (parsed.find(isSubquery).isDefined()) {
      return Optional.of("subqueries are not allowed in a filter, got '" + filter + "'");
    }
    LogicalPlan analyzed;
    try {
      analyzed = over.select(new Column(parsed).as("_filter")).queryExecution().analyzed();
    } catch (Exception e) {
      // Scala throws AnalysisException without declaring it, so javac cannot catch it by name.
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      return Optional.of(describe((AnalysisException) e, over) + " in '" + filter + "'");
    }
    if (!(analyzed instanceof Project)) {
      return Optional.of("aggregate, window and generator functions are not allowed in a filter, got '" + filter + "'");
    }
    Expression resolved = (Expression) ((Project) analyzed).projectList().head();
    if (!resolved.dataType().equals(DataTypes.BooleanType)) {
      return Optional.of("must be a boolean expression, got type " + resolved.dataType().simpleString() + " for '" + filter + "'");
    }
    if (!resolved.deterministic()) {
      return Optional.of("must be deterministic (no rand(), uuid() or similar), got '" + filter + "'");
    }
    return Optional.empty();
  }

  private static String describe(AnalysisException e, Dataset<Row> over) {
    Map<String, String> params = JavaConverters.mapAsJavaMap(e.messageParameters());
    String errorClass = e.getErrorClass() == null ? "" : e.getErrorClass();
    if (errorClass.startsWith("UNRESOLVED_COLUMN")) {
      return "unknown column " + params.get("objectName").replace('`', '\'')
          + "; available columns: " + String.join(", ", over.columns());
    }
    if (errorClass.startsWith("UNRESOLVED_ROUTINE")) {
      return "unknown function " + params.get("routineName").replace('`', '\'');
    }
    return RehearsalException.firstLine(e.getMessage(), "");
  }

}
