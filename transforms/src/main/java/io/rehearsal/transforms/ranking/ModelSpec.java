package io.rehearsal.transforms.ranking;

import io.rehearsal.transforms.OrderedMaps;
import java.util.Locale;
import java.util.Map;

/**
 * One declared model of the manifest's {@code models} section (docs/metrics.md): a role (baseline or
 * candidate), a kind, a version string recorded with every result, and the kind's parameters. Built-in
 * kinds train on events before the evaluation cutoff; {@code spark_ml} loads a saved model and
 * {@code table} reads recommendations produced by any system (both resolved by the pipelines module).
 */
public record ModelSpec(
    String role,
    Kind kind,
    String version,
    Scope scope,
    int lookbackDays,
    Map<String, Double> eventWeights,
    double halfLifeDays,
    int history,
    AlsRanker.Params als,
    String path,
    String format,
    Long tableVersion,
    boolean productionUserIds,
    boolean fallbackToPopularity) {

  public enum Kind {
    POPULARITY, RECENCY_POPULARITY, CO_VISITATION, ALS, SPARK_ML, TABLE;

    public String manifestName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean builtIn() {
      return this != SPARK_ML && this != TABLE;
    }
  }

  /** Which events a built-in ranker trains on: the segment's snapshot, or the whole lake. */
  public enum Scope { SEGMENT, GLOBAL }

  public static final int DEFAULT_LOOKBACK_DAYS = 90;
  public static final double DEFAULT_HALF_LIFE_DAYS = 7;
  public static final int DEFAULT_HISTORY = 5;
  public static final Map<String, Double> DEFAULT_EVENT_WEIGHTS =
      Map.of("view", 1.0, "click", 2.0, "add_to_cart", 3.0, "purchase", 5.0);

  public ModelSpec {
    eventWeights = OrderedMaps.copyOf(eventWeights);
  }

  /** "candidate co_visitation covis-v3". */
  public String describe() {
    return role + " " + kind.manifestName() + " " + version;
  }
}
