package io.rehearsal.pipelines.simulation;

import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Where {@code simulate} writes (Delta), under {@code <warehouse>/simulation/<manifest name>/}:
 * sensitivity (segment × scenario × model × measure, with the unchanged value and the delta), cold_start
 * (segment × model) and checks (the failure gate); with their schemas and row builders.
 */
public final class SimulationTables {

  public static final String SENSITIVITY = "sensitivity";
  public static final String COLD_START = "cold_start";
  public static final String CHECKS = "checks";

  private SimulationTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    return WarehousePaths.under(warehouse, "simulation", manifestName, table);
  }

  static final StructType SENSITIVITY_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("scenario", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("model_version", DataTypes.StringType, false)
      .add("measure", DataTypes.StringType, false)
      .add("value", DataTypes.DoubleType, false)
      .add("unchanged", DataTypes.DoubleType, false)
      .add("delta", DataTypes.DoubleType, false)
      .add("relative_delta", DataTypes.DoubleType, true)
      .add("run_id", DataTypes.StringType, false);

  /** {@code versionOf}: the model version of a role (baseline, candidate). */
  static List<Row> sensitivityRows(List<SimulationResult.Measure> measures, Function<String, String> versionOf,
      String runId) {
    return measures.stream().map(m -> RowFactory.create(m.segment(), m.scenario(), m.model(),
        versionOf.apply(m.model()),
        m.measure(), m.value(), m.unchanged(), m.delta(), m.relativeDelta(), runId)).toList();
  }

  static final StructType COLD_START_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("model_version", DataTypes.StringType, false)
      .add("users", DataTypes.LongType, false)
      .add("valid_lists", DataTypes.LongType, false)
      .add("by_fallback", DataTypes.LongType, false)
      .add("failures", DataTypes.LongType, false)
      .add("problems", DataTypes.createMapType(DataTypes.StringType, DataTypes.LongType), false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> coldStartRows(List<SimulationResult.ColdStart> coldStarts, Function<String, String> versionOf,
      String runId) {
    return coldStarts.stream().map(c -> RowFactory.create(c.segment(), c.model(), versionOf.apply(c.model()), c.users(),
        c.validLists(), c.byFallback(), c.failures(), c.problems(),
        runId)).toList();
  }

  static final StructType CHECKS_SCHEMA = new StructType()
      .add("segment", DataTypes.StringType, false)
      .add("model", DataTypes.StringType, false)
      .add("cold_start_failures", DataTypes.LongType, false)
      .add("scenario_failures", DataTypes.LongType, false)
      .add("max_failures", DataTypes.LongType, false)
      .add("status", DataTypes.StringType, false)
      .add("run_id", DataTypes.StringType, false);

  static List<Row> checkRows(List<SimulationResult.Check> checks, String runId) {
    return checks.stream().map(c -> RowFactory.create(c.segment(), c.model(), c.coldStartFailures(),
        c.scenarioFailures(), c.maxFailures(), CheckStatus.of(c.passed()).name(), runId)).toList();
  }
}
