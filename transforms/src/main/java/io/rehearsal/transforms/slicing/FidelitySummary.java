package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * How a sample compares with its eligible population: sizes, revenue share, events per user
 * (mean, exact p50 and p90) and, when given, the distribution of a stratification column.
 * Returned as data; the caller decides what to print or gate on.
 */
public final class FidelitySummary {

  /** One comparison: a metric's value in the eligible population and in the sample. */
  public record Metric(String name, double population, double sample) {}

  private FidelitySummary() {}

  public static List<Metric> compute(Dataset<Row> population, Dataset<Row> sample, String distributionColumn) {
    Row p = profile(population);
    Row s = profile(sample);
    List<Metric> metrics = new ArrayList<>();
    metrics.add(new Metric("users", p.getLong(0), s.getLong(0)));
    metrics.add(new Metric("events", number(p, 1), number(s, 1)));
    metrics.add(new Metric("revenue", number(p, 2), number(s, 2)));
    double populationRevenue = number(p, 2);
    metrics.add(new Metric("revenue_share", 1.0, populationRevenue == 0 ? 0.0 : number(s, 2) / populationRevenue));
    metrics.add(new Metric("events_per_user_mean", number(p, 3), number(s, 3)));
    metrics.add(new Metric("events_per_user_p50", number(p, 4), number(s, 4)));
    metrics.add(new Metric("events_per_user_p90", number(p, 5), number(s, 5)));
    if (distributionColumn != null) {
      Map<String, Double> popShares = shares(population, distributionColumn);
      Map<String, Double> sampleShares = shares(sample, distributionColumn);
      TreeSet<String> values = new TreeSet<>(popShares.keySet());
      values.addAll(sampleShares.keySet());
      for (String v : values) {
        metrics.add(new Metric("share[" + distributionColumn + "=" + v + "]",
            popShares.getOrDefault(v, 0.0), sampleShares.getOrDefault(v, 0.0)));
      }
    }
    return metrics;
  }

  private static Row profile(Dataset<Row> users) {
    return users.agg(
        count(lit(1)),
        sum("events_in_window").cast("double"),
        sum("revenue_in_window").cast("double"),
        avg("events_in_window"),
        expr("percentile(events_in_window, 0.5)"),
        expr("percentile(events_in_window, 0.9)")).first();
  }

  private static double number(Row r, int i) {
    return r.isNullAt(i) ? 0.0 : ((Number) r.get(i)).doubleValue();
  }

  private static Map<String, Double> shares(Dataset<Row> users, String column) {
    Map<String, Double> out = new LinkedHashMap<>();
    List<Row> rows = users.groupBy(col(column).cast("string").as("v")).agg(count(lit(1)).as("n")).collectAsList();
    long total = rows.stream().mapToLong(r -> r.getLong(1)).sum();
    for (Row r : rows) {
      out.put(r.isNullAt(0) ? "null" : r.getString(0), total == 0 ? 0.0 : (double) r.getLong(1) / total);
    }
    return out;
  }
}
