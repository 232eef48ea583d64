package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.mllib.evaluation.RankingMetrics;
import org.junit.Test;
import scala.Tuple2;

/** UserMetrics in the MLLIB dialect agree with Spark MLlib's RankingMetrics on random lists. */
public class MllibAgreementTest extends SparkTestBase {

  @Test
  public void averagesMatchRankingMetrics() {
    Random random = new Random(17);
    List<Tuple2<List<String>, List<String>>> pairs = new ArrayList<>();
    List<List<String>> lists = new ArrayList<>();
    List<Map<String, Double>> truths = new ArrayList<>();
    for (int u = 0; u < 300; u++) {
      List<String> list = new ArrayList<>();
      while (list.size() < 1 + random.nextInt(12)) {
        String item = "i" + random.nextInt(40);
        if (!list.contains(item)) {
          list.add(item);
        }
      }
      Map<String, Double> truth = new HashMap<>();
      int relevant = random.nextInt(6); // some users have no held-out interactions
      while (truth.size() < relevant) {
        truth.put("i" + random.nextInt(40), 1.0);
      }
      lists.add(list);
      truths.add(truth);
      pairs.add(new Tuple2<>(list, new ArrayList<>(truth.keySet())));
    }
    JavaRDD<Tuple2<List<String>, List<String>>> rdd = new JavaSparkContext(spark().sparkContext()).parallelize(pairs, 3);
    RankingMetrics<String> mllib = RankingMetrics.of(rdd);
    for (int k : new int[] {1, 3, 5, 10}) {
      double precision = 0;
      double recall = 0;
      double ndcg = 0;
      double map = 0;
      for (int u = 0; u < lists.size(); u++) {
        precision += UserMetrics.precision(lists.get(u), truths.get(u), k);
        recall += UserMetrics.recall(lists.get(u), truths.get(u), k);
        ndcg += UserMetrics.ndcg(lists.get(u), truths.get(u), k, MetricDialect.MLLIB);
        map += UserMetrics.averagePrecision(lists.get(u), truths.get(u), k, MetricDialect.MLLIB);
      }
      int n = lists.size();
      assertEquals("precision@" + k, mllib.precisionAt(k), precision / n, 1e-12);
      assertEquals("recall@" + k, mllib.recallAt(k), recall / n, 1e-12);
      assertEquals("ndcg@" + k, mllib.ndcgAt(k), ndcg / n, 1e-12);
      assertEquals("map@" + k, mllib.meanAveragePrecisionAt(k), map / n, 1e-12);
    }
  }
}
