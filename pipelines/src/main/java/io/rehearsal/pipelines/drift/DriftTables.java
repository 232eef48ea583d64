package io.rehearsal.pipelines.drift;

/**
 * Where {@code drift} writes (Delta), under {@code <warehouse>/drift/<manifest name>/}: features (one row per
 * entity × segment × feature, reference against current, with every statistic, the level and the traffic
 * weight), edges (the bin edges each numeric feature used, reused by later runs with the same feature set
 * and reference window), series (per series as-of day: PSI against the reference and against the previous
 * day), cohorts (per cohort × feature inside each segment: country, device, new vs returning; items by
 * category) and diagnostics (per segment: alerts, top features, change days, suggested retraining window).
 * Entity {@code prediction} holds the models' lists (prediction drift).
 */
public final class DriftTables {

  public static final String FEATURES = "features";
  public static final String EDGES = "edges";
  public static final String SERIES = "series";
  public static final String COHORTS = "cohorts";
  public static final String DIAGNOSTICS = "diagnostics";

  private DriftTables() {}

  public static String path(String warehouse, String manifestName, String table) {
    String base = warehouse.endsWith("/") ? warehouse : warehouse + "/";
    return base + "drift/" + manifestName + "/" + table;
  }
}
