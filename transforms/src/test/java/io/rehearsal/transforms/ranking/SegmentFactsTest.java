package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;

/**
 * One segment's item facts, user slices and model comparison on a handful of rows; every expected value is counted
 * by hand from the rows below (cutoff 2025-06-01, head share 20%, at most one event makes a user cold).
 */
public class SegmentFactsTest extends SparkTestBase {

  private static final EvaluationSpec SPEC = new EvaluationSpec(List.of("s"), LocalDate.of(2025, 6, 1), 7, List.of(2),
      EvaluationSpec.DEFAULT_RELEVANCE, true, MetricDialect.DEFAULT, 0.95, 0, 1, 2, 1, 0.9, 1, 0.2, 30, List.of());

  private static Timestamp utc(String instant) {
    return Timestamp.from(Instant.parse(instant));
  }

  private Dataset<Row> events() {
    StructType schema = new StructType().add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
        .add("event_type", DataTypes.StringType).add("event_ts", DataTypes.TimestampType);
    return spark().createDataFrame(List.of(
        RowFactory.create("u1", "i1", "view", utc("2025-05-30T10:00:00Z")),
        RowFactory.create("u1", "i1", "purchase", utc("2025-05-30T10:05:00Z")),
        RowFactory.create("u2", "i1", "click", utc("2025-05-31T09:00:00Z")),
        RowFactory.create("u2", "i2", "view", utc("2025-05-31T09:01:00Z")),
        // after the cutoff: held out, in no fact
        RowFactory.create("u1", "i3", "click", utc("2025-06-02T12:00:00Z"))), schema);
  }

  @Test
  public void itemFactsCountOnlyTheInteractionsBeforeTheCutoff() {
    StructType schema = new StructType().add("item_id", DataTypes.StringType).add("price", DataTypes.DoubleType)
        .add("launch_ts", DataTypes.TimestampType);
    Dataset<Row> catalog = spark().createDataFrame(List.of(
        RowFactory.create("i1", 10.0, utc("2025-01-01T00:00:00Z")),
        RowFactory.create("i2", null, utc("2025-05-20T00:00:00Z")),
        RowFactory.create("i3", 5.0, utc("2025-06-01T00:00:00Z"))), schema);
    ItemFacts facts = ItemFacts.of(events(), catalog, SPEC);
    // Four interactions before the cutoff: i1 three, i2 one. The head is ceil(2 items × 20%) = 1 item: i1.
    assertEquals(Map.of("i1", 0.75, "i2", 0.25), facts.stats().popularityShare());
    assertEquals(Set.of("i1"), facts.head());
    assertEquals(1.0 / 5, facts.stats().floorShare(), 0);
    assertEquals(Map.of("i1", 10.0, "i3", 5.0), facts.stats().price());
    // Launched in the 30 days before the cutoff: i2 (05-20); i3 launches on the cutoff itself, so it is not.
    assertEquals(Set.of("i2"), facts.stats().newSkus());
  }

  @Test
  public void userSlicesFromHistoryTruthAndTheUsersTable() {
    StructType users = new StructType().add("user_id", DataTypes.StringType).add("country", DataTypes.StringType);
    StructType truthSchema = new StructType().add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType);
    Dataset<Row> truth = spark().createDataFrame(List.of(RowFactory.create("u1", "i1"), RowFactory.create("u1", "i3"),
        RowFactory.create("u2", "i3")), truthSchema);
    Dataset<Row> slices = UserSlices.of(events(), spark().createDataFrame(List.of(RowFactory.create("u1", "DE"),
        RowFactory.create("u2", null), RowFactory.create("u3", "FR")), users), truth, Set.of("i1"), SPEC);
    String rows = slices.collectAsList().stream().map(Row::toString).sorted().collect(Collectors.joining(" "));
    // u1 bought before the cutoff (returning), 2 events (warm), half its held-out items are head items (head);
    // u2 never bought (new), 2 events (warm), none of its held-out items is (tail); u3 has no history (new, cold)
    // and nothing held out (no taste). No device column: null.
    assertEquals("[u1,returning,warm,head,DE,null] [u2,new,warm,tail,null,null] [u3,new,cold,null,FR,null]", rows);
  }

  @Test
  public void theSegmentComparisonCountsInterleavingAndAveragesTheShadowColumns() {
    StructType users = new StructType().add("user_id", DataTypes.StringType).add("interleaving", DataTypes.StringType)
        .add("overlap", DataTypes.DoubleType).add("jaccard", DataTypes.DoubleType).add("rbo", DataTypes.DoubleType)
        .add("kendall_tau", DataTypes.DoubleType);
    Dataset<Row> perUser = spark().createDataFrame(List.of(
        RowFactory.create("u1", "CANDIDATE", 1.0, 0.5, 0.8, 0.2),
        RowFactory.create("u2", "CANDIDATE", 0.0, 0.0, 0.1, null),
        RowFactory.create("u3", "BASELINE", 0.5, 0.25, 0.3, 0.4),
        RowFactory.create("u4", "TIE", 0.5, 0.25, 0.2, 0.6)), users);
    StructType lists = new StructType().add("model", DataTypes.StringType).add("rank", DataTypes.IntegerType)
        .add("score", DataTypes.DoubleType);
    Dataset<Row> scored = spark().createDataFrame(List.of(
        RowFactory.create("baseline", 1, 1.0), RowFactory.create("baseline", 2, 2.0),
        RowFactory.create("baseline", 3, 9.0), // below the depth of 2: not compared
        RowFactory.create("candidate", 1, 3.0), RowFactory.create("candidate", 2, 4.0),
        RowFactory.create("candidate", 2, null)), lists);
    SegmentComparison c = SegmentComparison.of("s", perUser, scored, 2);
    assertEquals(2, c.wins());
    assertEquals(1, c.losses());
    assertEquals(1, c.ties());
    assertEquals(2.0 / 3, c.preference(), 1e-15);
    // Sign test: 3 decided, P(X <= 1) for Binomial(3, ½) = (1 + 3) / 8 = ½, two-sided min(1, 2 · ½) = 1.
    assertEquals(1.0, c.signTestP(), 1e-15);
    assertEquals(4, c.users());
    assertEquals(0.5, c.overlap(), 1e-15);
    assertEquals(0.25, c.jaccard(), 1e-15);
    assertEquals(0.35, c.rbo(), 1e-15);
    assertEquals(0.4, c.kendallTau(), 1e-15); // the null is left out: (0.2 + 0.4 + 0.6) / 3
    // Baseline scores {1, 2}, candidate {3, 4}: disjoint, so KS 1; medians 1.5 and 3.5.
    assertEquals(1.0, c.scoreKs(), 0);
    assertEquals(1.5, c.baselineScoreMedian(), 0);
    assertEquals(3.5, c.candidateScoreMedian(), 0);
    assertNull(SegmentComparison.of("s", perUser.limit(0), scored.limit(0), 2).preference());

    // Five wins and no loss: P(X <= 0) for Binomial(5, ½) = 1/32, two-sided 2/32 = 0.0625.
    Dataset<Row> fiveWins = spark().createDataFrame(IntStream.range(0, 5)
        .mapToObj(i -> RowFactory.create("w" + i, "CANDIDATE", 1.0, 1.0, 1.0, 1.0)).toList(), users);
    SegmentComparison decisive = SegmentComparison.of("s", fiveWins, scored, 2);
    assertEquals(0.0625, decisive.signTestP(), 1e-15);
    assertEquals(1.0, decisive.preference(), 0);
  }
}
