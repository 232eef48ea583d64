package io.rehearsal.pipelines.evaluation;

/**
 * Where {@code simulate} writes (Delta), under {@code <warehouse>/simulation/<manifest name>/}:
 * sensitivity (segment × scenario × model × measure, with the unchanged value and the delta), cold_start
 * (segment × model) and checks (the failure gate).
 */
public final class SimulationTables {

  public static final String SENSITIVITY = "sensitivity";
  public static final String COLD_START = "cold_start";
  public static final String CHECKS = "checks";

  private SimulationTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    String base = warehouse.endsWith("/") ? warehouse : warehouse + "/";
    return base + "simulation/" + manifestName + "/" + table;
  }
}
