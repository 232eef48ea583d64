package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.ranking.MetricDialect.Gain;
import io.rehearsal.transforms.ranking.MetricDialect.Idcg;
import io.rehearsal.transforms.ranking.MetricDialect.MapDivisor;
import io.rehearsal.transforms.ranking.MetricDialect.UsersWithoutTruth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/**
 * Every metric and dialect on one hand-worked example. The list is a, b, c, d, e; the user then
 * purchased b (relevance 3), added z to the cart (2, never recommended) and clicked d (1).
 */
public class UserMetricsTest {

  private static final List<String> LIST = List.of("a", "b", "c", "d", "e");
  private static final Map<String, Double> TRUTH = Map.of("b", 3.0, "z", 2.0, "d", 1.0);
  private static final double EPS = 1e-12;

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }

  private static MetricDialect dialect(Gain gain, Idcg idcg, MapDivisor divisor) {
    return new MetricDialect(gain, idcg, divisor, UsersWithoutTruth.EXCLUDED);
  }

  @Test
  public void precisionRecallHitRateReciprocalRank() {
    assertEquals(1.0 / 3, UserMetrics.precision(LIST, TRUTH, 3), EPS); // b
    assertEquals(2.0 / 5, UserMetrics.precision(LIST, TRUTH, 5), EPS); // b, d
    assertEquals(2.0 / 10, UserMetrics.precision(LIST, TRUTH, 10), EPS); // a short list still counts as k long
    assertEquals(1.0 / 3, UserMetrics.recall(LIST, TRUTH, 3), EPS);
    assertEquals(2.0 / 3, UserMetrics.recall(LIST, TRUTH, 5), EPS);
    assertEquals(0.0, UserMetrics.hitRate(LIST, TRUTH, 1), EPS);
    assertEquals(1.0, UserMetrics.hitRate(LIST, TRUTH, 2), EPS);
    assertEquals(0.0, UserMetrics.reciprocalRank(LIST, TRUTH, 1), EPS);
    assertEquals(1.0 / 2, UserMetrics.reciprocalRank(LIST, TRUTH, 5), EPS);
    assertEquals(0.0, UserMetrics.recall(LIST, Map.of(), 5), EPS);
  }

  @Test
  public void averagePrecisionUnderBothDivisors() {
    // Hits at ranks 2 and 4: precisions 1/2 and 2/4.
    MetricDialect minKRel = dialect(Gain.BINARY, Idcg.TRUNCATED, MapDivisor.MIN_K_REL);
    MetricDialect rel = dialect(Gain.BINARY, Idcg.TRUNCATED, MapDivisor.REL);
    assertEquals((1.0 / 2 + 2.0 / 4) / 3, UserMetrics.averagePrecision(LIST, TRUTH, 5, minKRel), EPS); // min(5, 3)
    assertEquals((1.0 / 2 + 2.0 / 4) / 3, UserMetrics.averagePrecision(LIST, TRUTH, 5, rel), EPS);
    assertEquals((1.0 / 2) / 2, UserMetrics.averagePrecision(LIST, TRUTH, 2, minKRel), EPS); // min(2, 3)
    assertEquals((1.0 / 2) / 3, UserMetrics.averagePrecision(LIST, TRUTH, 2, rel), EPS);
  }

  @Test
  public void ndcgUnderEveryGainAndIdcg() {
    // Exponential gains: b 2^3−1 = 7, z 3, d 1. Linear: 3, 2, 1. Binary: 1, 1, 1.
    double expDcg3 = 7 / log2(3);
    double expIdcg3 = 7 + 3 / log2(3) + 1 / log2(4);
    assertEquals(expDcg3 / expIdcg3,
        UserMetrics.ndcg(LIST, TRUTH, 3, dialect(Gain.EXPONENTIAL, Idcg.TRUNCATED, MapDivisor.MIN_K_REL)), EPS);
    assertEquals((3 / log2(3)) / (3 + 2 / log2(3) + 1 / log2(4)),
        UserMetrics.ndcg(LIST, TRUTH, 3, dialect(Gain.LINEAR, Idcg.TRUNCATED, MapDivisor.MIN_K_REL)), EPS);
    assertEquals((1 / log2(3)) / (1 + 1 / log2(3) + 1 / log2(4)),
        UserMetrics.ndcg(LIST, TRUTH, 3, dialect(Gain.BINARY, Idcg.TRUNCATED, MapDivisor.MIN_K_REL)), EPS);
    // k = 2: the truncated ideal has two items, the full ideal all three.
    assertEquals((7 / log2(3)) / (7 + 3 / log2(3)),
        UserMetrics.ndcg(LIST, TRUTH, 2, dialect(Gain.EXPONENTIAL, Idcg.TRUNCATED, MapDivisor.MIN_K_REL)), EPS);
    assertEquals((7 / log2(3)) / expIdcg3,
        UserMetrics.ndcg(LIST, TRUTH, 2, dialect(Gain.EXPONENTIAL, Idcg.ALL_RELEVANT, MapDivisor.MIN_K_REL)), EPS);
    // k = 5 adds d at rank 4.
    assertEquals((7 / log2(3) + 1 / log2(5)) / expIdcg3, UserMetrics.ndcg(LIST, TRUTH, 5, MetricDialect.DEFAULT), EPS);
    assertEquals(1.0, UserMetrics.ndcg(List.of("b", "z", "d"), TRUTH, 3, MetricDialect.DEFAULT), EPS);
    assertEquals(0.0, UserMetrics.ndcg(LIST, Map.of(), 3, MetricDialect.DEFAULT), EPS);
  }

  @Test
  public void retailMetrics() {
    assertEquals(49.90, UserMetrics.valueAt(LIST, Map.of("b", 49.90, "z", 12.0), 3), EPS);
    assertEquals(0.0, UserMetrics.valueAt(LIST, Map.of("b", 49.90), 1), EPS);
    // Novelty: a is popular (share 1/2), b rare (1/8), c unseen (floor 1/1024).
    assertEquals((1 + 3 + 10) / 3.0,
        UserMetrics.novelty(LIST, Map.of("a", 0.5, "b", 0.125), 3, 1.0 / 1024), EPS);
    assertEquals(2.0 / 5, UserMetrics.shareOf(LIST, Set.of("c", "e", "x"), 5), EPS);
  }

  @Test
  public void duplicatesAfterTheFirstOccurrenceAreIgnored() {
    assertEquals(1.0 / 2, UserMetrics.precision(List.of("b", "b", "a"), TRUTH, 2), EPS); // top 2 = b, a
  }

  @Test
  public void priceWeightedNdcgMultipliesGainsByPrice() {
    // Exponential gains times prices: b 7 × 10 = 70, z 3 × 100 = 300, d 1 × 1 = 1; ideal order z, b, d.
    Map<String, Double> price = Map.of("a", 5.0, "b", 10.0, "z", 100.0, "d", 1.0);
    MetricDialect d = MetricDialect.DEFAULT;
    double idcg5 = 300 / log2(2) + 70 / log2(3) + 1 / log2(4);
    assertEquals((70 / log2(3) + 1 / log2(5)) / idcg5, UserMetrics.weightedNdcg(LIST, TRUTH, price, 5, d), EPS);
    // k = 1: the ideal list holds only z; the list's first item (a) is not relevant.
    assertEquals(0.0, UserMetrics.weightedNdcg(LIST, TRUTH, price, 1, d), EPS);
    // An item without a price weighs 0 on both sides: d drops out.
    Map<String, Double> noD = Map.of("b", 10.0, "z", 100.0);
    assertEquals((70 / log2(3)) / (300 / log2(2) + 70 / log2(3)), UserMetrics.weightedNdcg(LIST, TRUTH, noD, 5, d), EPS);
    // Null weights are plain NDCG.
    assertEquals(UserMetrics.ndcg(LIST, TRUTH, 5, d), UserMetrics.weightedNdcg(LIST, TRUTH, null, 5, d), EPS);
    // No relevant item with a positive weight: 0.
    assertEquals(0.0, UserMetrics.weightedNdcg(LIST, TRUTH, Map.of("a", 5.0), 5, d), EPS);
  }
}
