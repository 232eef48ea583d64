package io.rehearsal.transforms.simulation;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.ItemStats;
import io.rehearsal.transforms.ranking.MetricDialect;
import io.rehearsal.transforms.ranking.UserEvaluation;
import io.rehearsal.transforms.stats.ExactMean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** What a catalog scenario does to both models' lists: the metric means, list churn and injected SKUs surfaced. */
public final class ScenarioMeasures {

  private ScenarioMeasures() {}

  /**
   * Mean of every per-user metric of both models' lists (user_id, model, item_id, rank) against the held-out
   * interactions, as evaluate computes them (keys {@code model|metric}), plus {@code model|evaluated_users}. Exact
   * means: a scenario that leaves every user's value as it was shows a delta of exactly 0.
   */
  public static Map<String, Double> metricMeans(Dataset<Row> users, Dataset<Row> lists, Dataset<Row> truth,
      Broadcast<ItemStats> stats, EvaluationSpec spec) {
    Dataset<Row> perUser = UserEvaluation.perUser(users, lists.select("user_id", "model", "item_id", "rank"), truth,
        stats, spec);
    if (spec.dialect().usersWithoutTruth() == MetricDialect.UsersWithoutTruth.EXCLUDED) {
      perUser = perUser.where(col("has_truth"));
    }
    List<String> names = spec.metricNames();
    List<Column> aggregates = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      aggregates.addAll(Arrays.asList(ExactMean.aggregates(col(UserEvaluation.BASELINE).getItem(i))));
      aggregates.addAll(Arrays.asList(ExactMean.aggregates(col(UserEvaluation.CANDIDATE).getItem(i))));
    }
    aggregates.add(count(lit(1)));
    Row means = perUser.agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(new Column[0])).first();
    Map<String, Double> out = new LinkedHashMap<>();
    for (int i = 0; i < names.size(); i++) {
      Double baseline = ExactMean.of(means, 2 * ExactMean.WIDTH * i);
      Double candidate = ExactMean.of(means, 2 * ExactMean.WIDTH * i + ExactMean.WIDTH);
      out.put(UserEvaluation.BASELINE + "|" + names.get(i), baseline == null ? 0.0 : baseline);
      out.put(UserEvaluation.CANDIDATE + "|" + names.get(i), candidate == null ? 0.0 : candidate);
    }
    double evaluated = means.getLong(2 * ExactMean.WIDTH * names.size());
    out.put(UserEvaluation.BASELINE + "|evaluated_users", evaluated);
    out.put(UserEvaluation.CANDIDATE + "|evaluated_users", evaluated);
    return out;
  }

  /**
   * List churn at k against the unchanged list (1 − the mean share of a user's unchanged top k still in the
   * top k), and the injected SKUs surfaced: distinct ones in any top k and their share of top-k slots.
   */
  public static Map<String, Double> listMeasures(Dataset<Row> lists, Dataset<Row> unchanged, Set<String> injected,
      int k) {
    Map<String, Double> out = new LinkedHashMap<>();
    Dataset<Row> top = lists.where(col("rank").leq(k)).select("user_id", "item_id");
    Dataset<Row> before = unchanged.where(col("rank").leq(k)).select("user_id", "item_id");
    Double gone = ExactMean.of(before.join(top.withColumn("__kept", lit(1)), Columns.using("user_id", "item_id"), "left")
        .groupBy("user_id").agg(avg(when(col("__kept").isNull(), 1.0).otherwise(0.0)).as("__gone")), col("__gone"));
    out.put("list_churn@" + k, gone == null ? 0.0 : gone);
    if (injected.isEmpty()) {
      out.put("injected_skus_surfaced", 0.0);
      out.put("injected_sku_slots@" + k, 0.0);
      return out;
    }
    Row surfaced = top.agg(countDistinct(when(col("item_id").isin(injected.toArray()), col("item_id"))),
        sum(when(col("item_id").isin(injected.toArray()), 1).otherwise(0)), count(lit(1))).first();
    out.put("injected_skus_surfaced", (double) surfaced.getLong(0));
    out.put("injected_sku_slots@" + k, surfaced.getLong(2) == 0 ? 0.0 : (double) surfaced.getLong(1) / surfaced.getLong(2));
    return out;
  }
}
