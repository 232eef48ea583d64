package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.Test;

/** Ground truth split and the built-in popularity and co-visitation rankers on hand-made events. */
public class RankersTest extends SparkTestBase {

  private static final LocalDate CUTOFF = LocalDate.of(2025, 2, 1);
  private static final Map<String, Double> GRADES = Map.of("purchase", 3.0, "add_to_cart", 2.0, "click", 1.0);

  private static Row event(String id, String user, String item, String type, String ts, String session, String order) {
    return RowFactory.create(id, user, item, type, Timestamp.from(Instant.parse(ts)), session, order, 2,
        new BigDecimal("5.00"), "DE", "web", null);
  }

  private Dataset<Row> events(Row... rows) {
    return spark().createDataFrame(List.of(rows), CanonicalTables.EVENTS_SCHEMA);
  }

  private static Map<String, List<String>> lists(Dataset<Row> recommendations) {
    Map<String, List<String>> out = new HashMap<>();
    for (Row r : recommendations.orderBy("user_id", "rank").collectAsList()) {
      out.computeIfAbsent(r.getString(0), u -> new ArrayList<>()).add(r.getString(1));
    }
    return out;
  }

  @Test
  public void groundTruthGradesTheHorizonOnly() {
    Dataset<Row> events = events(
        event("1", "u1", "a", "purchase", "2025-01-31T23:59:59Z", "s1", "o1"), // before the cutoff: training
        event("2", "u1", "b", "click", "2025-02-01T00:00:00Z", "s2", null), // exactly at the cutoff: horizon
        event("3", "u1", "b", "purchase", "2025-02-03T10:00:00Z", "s2", "o2"),
        event("4", "u1", "c", "view", "2025-02-03T10:00:00Z", "s2", null), // views are not graded
        event("5", "u2", "c", "add_to_cart", "2025-02-07T23:59:59Z", "s3", null),
        event("6", "u2", "d", "purchase", "2025-02-08T00:00:00Z", "s4", "o4")); // horizon end: excluded
    List<Row> truth = GroundTruth.of(events, CUTOFF, 7, GRADES).orderBy("user_id", "item_id").collectAsList();
    assertEquals(2, truth.size());
    assertEquals(RowFactory.create("u1", "b", 3.0, 10.0), truth.get(0)); // max grade; 2 × 5.00 purchased
    assertEquals(RowFactory.create("u2", "c", 2.0, 0.0), truth.get(1));
    assertEquals(List.of(RowFactory.create("u1", "a")), GroundTruth.purchasedBefore(events, CUTOFF).collectAsList());
  }

  @Test
  public void popularityRanksByWeightedCountsWithDeterministicTiesAndExclusions() {
    Dataset<Row> events = events(
        event("1", "u1", "a", "purchase", "2025-01-30T10:00:00Z", "s1", "o1"),
        event("2", "u2", "b", "click", "2025-01-30T10:00:00Z", "s2", null),
        event("3", "u2", "b", "click", "2025-01-30T11:00:00Z", "s2", null),
        event("4", "u2", "b", "click", "2025-01-30T12:00:00Z", "s2", null),
        event("5", "u2", "c", "click", "2025-01-30T12:00:00Z", "s2", null),
        event("6", "u2", "d", "click", "2025-01-30T12:00:00Z", "s2", null),
        event("7", "u2", "e", "purchase", "2024-12-01T12:00:00Z", "s0", "o0"), // outside the 30-day lookback
        event("8", "u1", "z", "purchase", "2025-02-02T12:00:00Z", "s9", "o9")); // after the cutoff: unseen
    Dataset<Row> scores = PopularityRanker.itemScores(events, CUTOFF, 30, GRADES, null);
    Map<String, Double> byItem = new HashMap<>();
    scores.collectAsList().forEach(r -> byItem.put(r.getString(0), r.getDouble(1)));
    assertEquals(Map.of("a", 3.0, "b", 3.0, "c", 1.0, "d", 1.0), byItem);
    Dataset<Row> users = events.select("user_id").distinct();
    Map<String, List<String>> lists = lists(PopularityRanker.recommend(users, scores,
        GroundTruth.purchasedBefore(events, CUTOFF), 3, 5));
    assertEquals(List.of("b", "c", "d"), lists.get("u1")); // a purchased by u1: excluded; ties by item id
    assertEquals(List.of("a", "b", "c"), lists.get("u2"));
    // Recency: a purchase 7 days before the cutoff with a 7-day half-life weighs half.
    Dataset<Row> decayed = PopularityRanker.itemScores(events(
        event("1", "u1", "a", "purchase", "2025-01-25T00:00:00Z", "s1", "o1")), CUTOFF, 30, GRADES, 7.0);
    assertEquals(1.5, decayed.first().getDouble(1), 1e-12);
  }

  @Test
  public void coVisitationRecommendsItemsSharedInSessionsAndBaskets() {
    Dataset<Row> events = events(
        event("1", "u1", "a", "view", "2025-01-10T10:00:00Z", "s1", null),
        event("2", "u1", "b", "view", "2025-01-10T10:01:00Z", "s1", null),
        event("3", "u2", "a", "view", "2025-01-11T10:00:00Z", "s2", null),
        event("4", "u2", "c", "view", "2025-01-11T10:01:00Z", "s2", null),
        event("5", "u3", "a", "purchase", "2025-01-12T10:00:00Z", "s3", "o3"),
        event("6", "u3", "b", "purchase", "2025-01-12T10:00:00Z", "s4", "o3"), // same basket, other session
        event("7", "u4", "a", "view", "2025-01-20T10:00:00Z", "s5", null));
    Dataset<Row> pairs = CoVisitationRanker.pairs(events, CUTOFF, 60);
    Map<String, Double> weights = new HashMap<>();
    pairs.collectAsList().forEach(r -> weights.put(r.getString(0) + ">" + r.getString(1), r.getDouble(2)));
    assertEquals(Map.of("a>b", 2.0, "b>a", 2.0, "a>c", 1.0, "c>a", 1.0), weights);
    Map<String, List<String>> lists = lists(CoVisitationRanker.recommend(events, pairs,
        events.select("user_id").distinct(), CUTOFF, 5, null, 10));
    assertEquals(List.of("b", "c"), lists.get("u4")); // seeds from a; a itself is not recommended
    assertEquals(List.of("c"), lists.get("u1")); // seeds a, b: c via a (1); a and b are seeds
  }

  @Test
  public void alsLearnsTwoTasteClustersDeterministically() {
    // Users u0..u9 use items a0..a4, users u10..u19 items b0..b4; each user misses one item of their cluster.
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (int u = 0; u < 20; u++) {
      String cluster = u < 10 ? "a" : "b";
      for (int i = 0; i < 5; i++) {
        if (i == u % 5) {
          continue;
        }
        rows.add(event("e" + (n++), "u" + u, cluster + i, "click", "2025-01-2" + (i % 9) + "T10:00:00Z", "s" + u, null));
      }
    }
    Dataset<Row> events = spark().createDataFrame(rows, CanonicalTables.EVENTS_SCHEMA);
    // Three iterations: untrained (0) every user's list mixes the clusters, after one some seeds' lists still do;
    // from two to ten every list stays in its cluster for seeds 1, 2, 3 and 7 (tried once, not asserted here).
    AlsRanker.Params params = new AlsRanker.Params(4, 3, 0.01, 10.0, 7L, 2);
    AlsRanker.Trained model = AlsRanker.train(events, CUTOFF, 60, GRADES, params);
    Dataset<Row> users = events.select("user_id").distinct();
    Map<String, List<String>> first = lists(AlsRanker.recommend(model, users, null, 4, 6));
    Map<String, List<String>> again = lists(AlsRanker.recommend(
        AlsRanker.train(events, CUTOFF, 60, GRADES, params), users, null, 4, 6));
    assertEquals(first, again);
    for (int u = 0; u < 20; u++) {
      String cluster = u < 10 ? "a" : "b";
      List<String> list = first.get("u" + u);
      org.junit.Assert.assertTrue("u" + u + " got " + list, list.stream().allMatch(i -> i.startsWith(cluster)));
    }
  }
}
