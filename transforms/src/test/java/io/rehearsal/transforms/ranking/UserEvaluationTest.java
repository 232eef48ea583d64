package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

/** Per-user evaluation on executors, checked by hand on three users. */
public class UserEvaluationTest extends io.rehearsal.transforms.testing.SparkTestBase {

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  @Test
  public void everyMetricInterleavingAndShadowPerUser() {
    Dataset<Row> users = spark().createDataFrame(List.of(RowFactory.create("u1"), RowFactory.create("u2"),
        RowFactory.create("u3")), new StructType().add("user_id", DataTypes.StringType));
    StructType recSchema = new StructType().add("user_id", DataTypes.StringType).add("model", DataTypes.StringType)
        .add("item_id", DataTypes.StringType).add("rank", DataTypes.IntegerType);
    Dataset<Row> recs = spark().createDataFrame(List.of(
        RowFactory.create("u1", "baseline", "c", 3), RowFactory.create("u1", "baseline", "a", 1),
        RowFactory.create("u1", "baseline", "b", 2), RowFactory.create("u1", "candidate", "b", 1),
        RowFactory.create("u1", "candidate", "a", 2), RowFactory.create("u1", "candidate", "x", 3),
        RowFactory.create("u2", "baseline", "a", 1), RowFactory.create("u3", "candidate", "x", 1),
        RowFactory.create("u3", "candidate", "c", 2)), recSchema);
    Dataset<Row> truth = spark().createDataFrame(List.of(RowFactory.create("u1", "b", 3.0, 20.0)),
        new StructType().add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
            .add("relevance", DataTypes.DoubleType).add("value", DataTypes.DoubleType));
    ItemStats stats = new ItemStats(Map.of("b", 10.0), Map.of("a", 0.5, "b", 0.25, "c", 0.25), 0.01, Set.of("x"));
    EvaluationSpec spec = new EvaluationSpec(List.of("s"), LocalDate.of(2025, 6, 1), 7, List.of(2),
        EvaluationSpec.DEFAULT_RELEVANCE, true, MetricDialect.DEFAULT, 0.95, 0, 1, 2, 1, 0.9, 2, 0.2, 30, List.of());
    List<Row> rows = UserEvaluation.perUser(users, recs, truth,
        JavaSparkContext.fromSparkContext(spark().sparkContext()).broadcast(stats), spec).orderBy("user_id").collectAsList();
    assertEquals(3, rows.size());
    assertEquals(List.of("ndcg@2", "recall@2", "precision@2", "hit_rate@2", "mrr@2", "map@2", "revenue@2",
        "price_ndcg@2", "novelty@2", "new_sku_share@2"), spec.metricNames());

    Row u1 = rows.get(0);
    assertEquals(true, u1.getAs("has_truth"));
    double[] expectedBaseline = {1 / log2(3), 1, 0.5, 1, 0.5, 0.5, 20, 1 / log2(3), 1.5, 0};
    // The new SKU x sits at rank 3, outside k = 2: it counts neither for novelty nor for the new-SKU share.
    double[] expectedCandidate = {1, 1, 0.5, 1, 1, 1, 20, 1, (2 + 1) / 2.0, 0};
    assertArray(expectedBaseline, u1.getList(u1.fieldIndex("baseline")));
    assertArray(expectedCandidate, u1.getList(u1.fieldIndex("candidate")));
    // Whoever picks first, the candidate's team holds b, the purchased item.
    assertEquals("CANDIDATE", u1.getAs("interleaving"));
    assertEquals(1.0, u1.<Double>getAs("overlap"), 0);
    assertEquals(1.0, u1.<Double>getAs("jaccard"), 0);
    assertEquals(-1.0, u1.<Double>getAs("kendall_tau"), 0); // a and b in opposite orders

    Row u2 = rows.get(1);
    assertEquals(false, u2.getAs("has_truth"));
    Assert.assertNull(u2.getAs("interleaving"));
    assertEquals(1, (int) u2.<Integer>getAs("baseline_items"));
    assertEquals(0, (int) u2.<Integer>getAs("candidate_items"));
    assertEquals(0.0, u2.<Double>getAs("overlap"), 0);

    Row u3 = rows.get(2);
    assertEquals(0, (int) u3.<Integer>getAs("baseline_items"));
    // Without ground truth only the list-only metrics move: x is new and unseen (floor share 0.01), c has share 1/4.
    assertArray(new double[] {0, 0, 0, 0, 0, 0, 0, 0, (log2(100) + 2) / 2, 0.5},
        u3.getList(u3.fieldIndex("candidate")));
  }

  private static void assertArray(double[] expected, List<Object> actual) {
    assertEquals(expected.length, actual.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals("position " + i, expected[i], ((Number) actual.get(i)).doubleValue(), 1e-12);
    }
  }
}
