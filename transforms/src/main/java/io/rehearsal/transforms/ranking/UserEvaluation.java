package io.rehearsal.transforms.ranking;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.sort_array;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Per-user evaluation of two models' lists against the held-out interactions, computed on the executors
 * (one row per user, nothing collected): every metric of {@link #METRICS} at every k for both models,
 * the team-draft interleaving outcome, and the shadow comparison of the two lists at the interleaving depth.
 */
public final class UserEvaluation implements Serializable {

  /** Per-user metric families, each reported at every declared k (docs/metrics.md). */
  public static final List<String> METRICS = List.of("ndcg", "recall", "precision", "hit_rate", "mrr", "map",
      "revenue", "price_ndcg", "novelty", "new_sku_share");

  public static final String BASELINE = "baseline";
  public static final String CANDIDATE = "candidate";

  /** One row per scored user; the metric arrays align with {@link EvaluationSpec#metricNames()}. */
  public static final StructType SCHEMA = new StructType()
      .add("user_id", DataTypes.StringType, false)
      .add("has_truth", DataTypes.BooleanType, false)
      .add("relevant_items", DataTypes.IntegerType, false)
      .add("baseline_items", DataTypes.IntegerType, false)
      .add("candidate_items", DataTypes.IntegerType, false)
      .add("baseline", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("candidate", DataTypes.createArrayType(DataTypes.DoubleType, false), false)
      .add("interleaving", DataTypes.StringType, true)
      .add("overlap", DataTypes.DoubleType, true)
      .add("jaccard", DataTypes.DoubleType, true)
      .add("rbo", DataTypes.DoubleType, true)
      .add("kendall_tau", DataTypes.DoubleType, true);

  private static final long serialVersionUID = 1L;

  private final EvaluationSpec spec;
  private final Broadcast<ItemStats> items;

  private UserEvaluation(EvaluationSpec spec, Broadcast<ItemStats> items) {
    this.spec = spec;
    this.items = items;
  }

  /**
   * @param users the scored users (user_id)
   * @param recommendations (user_id, model, item_id, rank) with model {@value #BASELINE} or {@value #CANDIDATE}
   * @param truth (user_id, item_id, relevance, value) of the horizon
   */
  public static Dataset<Row> perUser(Dataset<Row> users, Dataset<Row> recommendations, Dataset<Row> truth,
      Broadcast<ItemStats> items, EvaluationSpec spec) {
    Dataset<Row> lists = recommendations.groupBy("user_id").agg(
        sort_array(collect_list(when(col("model").equalTo(BASELINE), struct(col("rank"), col("item_id"))))).as("b"),
        sort_array(collect_list(when(col("model").equalTo(CANDIDATE), struct(col("rank"), col("item_id"))))).as("c"))
        .select(col("user_id"), expr("transform(b, x -> x.item_id)").as("b"), expr("transform(c, x -> x.item_id)").as("c"));
    Dataset<Row> graded = truth.groupBy("user_id").agg(
        map_from_entries(collect_list(struct(col("item_id"), col("relevance")))).as("rel"),
        map_from_entries(collect_list(struct(col("item_id"), col("value")))).as("val"));
    UserEvaluation evaluation = new UserEvaluation(spec, items);
    return users.select("user_id").distinct()
        .join(lists, Columns.using("user_id"), "left")
        .join(graded, Columns.using("user_id"), "left")
        .select("user_id", "b", "c", "rel", "val")
        .map((MapFunction<Row, Row>) evaluation::evaluate, Encoders.row(SCHEMA));
  }

  Row evaluate(Row row) {
    String user = row.getString(0);
    List<String> baseline = list(row, 1);
    List<String> candidate = list(row, 2);
    Map<String, Double> relevance = row.isNullAt(3) ? Collections.emptyMap() : row.getJavaMap(3);
    Map<String, Double> value = row.isNullAt(4) ? Collections.emptyMap() : row.getJavaMap(4);
    int relevant = (int) relevance.values().stream().filter(r -> r != null && r > 0).count();
    ItemStats stats = items.value();
    List<Double> b = new ArrayList<>();
    List<Double> c = new ArrayList<>();
    for (String metric : METRICS) {
      for (int k : spec.ks()) {
        b.add(metric(metric, baseline, relevance, value, k, stats));
        c.add(metric(metric, candidate, relevance, value, k, stats));
      }
    }
    int depth = spec.interleavingK();
    String outcome = relevant == 0 ? null
        : TeamDraft.credit(TeamDraft.interleave(baseline, candidate, depth, spec.interleavingSeed(), user), relevance)
            .name();
    return RowFactory.create(user, relevant > 0, relevant, baseline.size(), candidate.size(), b.toArray(new Double[0]),
        c.toArray(new Double[0]), outcome, ListComparison.overlap(baseline, candidate, depth),
        ListComparison.jaccard(baseline, candidate, depth),
        ListComparison.rankBiasedOverlap(baseline, candidate, depth, spec.rboPersistence()),
        ListComparison.kendallTauOnShared(baseline, candidate, depth));
  }

  private double metric(String metric, List<String> ranked, Map<String, Double> relevance, Map<String, Double> value,
      int k, ItemStats stats) {
    MetricDialect d = spec.dialect();
    switch (metric) {
      case "ndcg": return UserMetrics.ndcg(ranked, relevance, k, d);
      case "recall": return UserMetrics.recall(ranked, relevance, k);
      case "precision": return UserMetrics.precision(ranked, relevance, k);
      case "hit_rate": return UserMetrics.hitRate(ranked, relevance, k);
      case "mrr": return UserMetrics.reciprocalRank(ranked, relevance, k);
      case "map": return UserMetrics.averagePrecision(ranked, relevance, k, d);
      case "revenue": return UserMetrics.valueAt(ranked, value, k);
      case "price_ndcg": return UserMetrics.weightedNdcg(ranked, relevance, stats.price(), k, d);
      case "novelty": return UserMetrics.novelty(ranked, stats.popularityShare(), k, stats.floorShare());
      case "new_sku_share": return UserMetrics.shareOf(ranked, stats.newSkus(), k);
      default: throw new IllegalArgumentException("unknown metric " + metric);
    }
  }

  private static List<String> list(Row row, int i) {
    return row.isNullAt(i) ? List.of() : row.getList(i);
  }
}
