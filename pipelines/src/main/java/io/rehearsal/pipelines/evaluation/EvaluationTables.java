package io.rehearsal.pipelines.evaluation;

/**
 * Where {@code evaluate} writes (Delta), under {@code <warehouse>/evaluation/<manifest name>/}:
 * recommendations (both models' lists), scoring (one record per segment × model), users (per-user
 * outcomes and slices), user_metrics (per user × metric, both models), metrics (per segment, slice and
 * pooled statistics), gates (every check of the verdict) and comparison (interleaving and shadow).
 */
public final class EvaluationTables {

  public static final String RECOMMENDATIONS = "recommendations";
  public static final String SCORING = "scoring";
  public static final String USERS = "users";
  public static final String USER_METRICS = "user_metrics";
  public static final String METRICS = "metrics";
  public static final String GATES = "gates";
  public static final String COMPARISON = "comparison";

  private EvaluationTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    String base = warehouse.endsWith("/") ? warehouse : warehouse + "/";
    return base + "evaluation/" + manifestName + "/" + table;
  }
}
