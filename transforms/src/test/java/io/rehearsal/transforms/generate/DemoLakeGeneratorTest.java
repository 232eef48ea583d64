package io.rehearsal.transforms.generate;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import io.rehearsal.transforms.hash.DeterministicRandom;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;

public class DemoLakeGeneratorTest extends SparkTestBase {

  private static final long SEED = 42L;
  private static DemoLake lake;
  private static Map<String, String> hashes;

  @Before
  public void generateOnce() {
    if (lake == null) {
      DemoLake generated = DemoLakeGenerator.builder().seed(SEED).scale(1).build().generate(spark());
      lake = new DemoLake(generated.events().cache(), generated.users().cache(), generated.items().cache());
      hashes = hashes(lake);
    }
    lake.events().createOrReplaceTempView("events");
    lake.users().createOrReplaceTempView("users");
    lake.items().createOrReplaceTempView("items");
  }

  @Test
  public void schemasAreExactlyTheCanonicalOnes() {
    assertEquals(CanonicalTables.EVENTS_SCHEMA, lake.events().schema());
    assertEquals(CanonicalTables.USERS_SCHEMA, lake.users().schema());
    assertEquals(CanonicalTables.ITEMS_SCHEMA, lake.items().schema());
  }

  @Test
  public void sameSeedAndScaleGiveIdenticalTablesOnAnyPartitioning() {
    DemoLake threePartitions = DemoLakeGenerator.builder().seed(SEED).scale(1).partitions(3).build().generate(spark());
    Assert.assertNotEquals(lake.events().rdd().getNumPartitions(), threePartitions.events().rdd().getNumPartitions());
    Assert.assertNotEquals(lake.users().rdd().getNumPartitions(), threePartitions.users().rdd().getNumPartitions());
    assertEquals(hashes, hashes(threePartitions));
  }

  @Test
  public void differentSeedGivesDifferentTables() {
    Map<String, String> other = hashes(DemoLakeGenerator.builder().seed(SEED + 1).scale(1).build().generate(spark()));
    for (String table : CanonicalTables.ALL) {
      assertNotEquals("content hash of " + table, hashes.get(table), other.get(table));
    }
  }

  @Test
  public void sizesFollowTheScale() {
    assertEquals(1_000, lake.users().count());
    assertEquals(300, lake.items().count());
    long events = lake.events().count();
    Assert.assertTrue("scale 1 should have 50k to 100k events, got " + events, events >= 50_000 && events <= 100_000);
    Row ids = sql("SELECT count(DISTINCT event_id), count(*), min(user_id), max(user_id) FROM events");
    assertEquals("event ids are unique", ids.getLong(1), ids.getLong(0));
    Assert.assertTrue(ids.getString(2).matches("u\\d{6}"));
  }

  @Test
  public void eventsCoverTheWholeCalendarAndNothingOutsideIt() {
    Row r = sql("SELECT count(DISTINCT to_date(event_ts)), min(event_ts), max(event_ts) FROM events");
    Assert.assertTrue("distinct event days: " + r.getLong(0), r.getLong(0) >= 180);
    Assert.assertTrue(!r.getTimestamp(1).toInstant().isBefore(DemoLakeSpec.START));
    Assert.assertTrue(r.getTimestamp(2).toInstant().isBefore(DemoLakeSpec.END));
    Row weekdays = sql("SELECT avg(CASE WHEN dayofweek(event_ts) IN (1, 7) THEN n END), avg(CASE WHEN dayofweek(event_ts) NOT IN (1, 7) THEN n END)"
        + " FROM (SELECT to_date(event_ts) AS event_ts, count(*) AS n FROM events WHERE event_type = 'view' AND event_ts NOT BETWEEN '2025-04-14' AND '2025-04-28' GROUP BY 1)");
    Assert.assertTrue("weekend views per day " + weekdays.getDouble(0) + " vs weekday " + weekdays.getDouble(1),
        weekdays.getDouble(0) > 1.2 * weekdays.getDouble(1));
  }

  @Test
  public void eventsAreWellFormed() {
    assertEquals(new HashSet<>(CanonicalTables.EVENT_TYPES), new HashSet<>(sql("SELECT collect_set(event_type) FROM events").getList(0)));
    Row r = sql("SELECT sum(CASE WHEN quantity < 1 THEN 1 ELSE 0 END), sum(CASE WHEN unit_price IS NULL OR unit_price <= 0 THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN ingested_at < event_ts THEN 1 ELSE 0 END), avg(CASE WHEN unix_timestamp(ingested_at) - unix_timestamp(event_ts) >= 3600 THEN 1.0 ELSE 0.0 END),"
        + " sum(CASE WHEN event_type IN ('purchase', 'return') AND order_id IS NULL THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN event_type NOT IN ('purchase', 'return') AND order_id IS NOT NULL THEN 1 ELSE 0 END),"
        + " sum(CASE WHEN event_type <> 'return' AND session_id IS NULL THEN 1 ELSE 0 END) FROM events");
    assertEquals("quantity < 1", 0L, r.getLong(0));
    assertEquals("missing or non-positive price", 0L, r.getLong(1));
    assertEquals("ingested before the event", 0L, r.getLong(2));
    double late = r.getDecimal(3).doubleValue();
    Assert.assertTrue("late-arriving share " + late, late > 0.005 && late < 0.02);
    assertEquals("purchases/returns without order", 0L, r.getLong(4));
    assertEquals("order id on a non-order event", 0L, r.getLong(5));
    assertEquals("session event without session", 0L, r.getLong(6));
    Row orders = sql("SELECT count(*), sum(CASE WHEN n > 1 THEN 1 ELSE 0 END), max(sessions) FROM"
        + " (SELECT order_id, count(*) AS n, count(DISTINCT session_id) AS sessions FROM events WHERE event_type = 'purchase' GROUP BY order_id)");
    double multiItem = (double) orders.getLong(1) / orders.getLong(0);
    Assert.assertTrue("share of multi-item orders " + multiItem, multiItem > 0.1 && multiItem < 0.4);
    assertEquals("an order spans one session", 1L, orders.getLong(2));
  }

  @Test
  public void usersMixNewAndLongStandingWithTheTierShares() {
    Map<String, Long> tiers = new HashMap<>();
    for (Row row : spark().sql("SELECT loyalty_tier, count(*) FROM users GROUP BY 1").collectAsList()) {
      tiers.put(row.getString(0), row.getLong(1));
    }
    List<Double> shares = DemoLakeSpec.LOYALTY_TIER_SHARES;
    for (int i = 0; i < shares.size(); i++) {
      double share = tiers.getOrDefault(DemoLakeSpec.LOYALTY_TIERS.get(i), 0L) / 1000.0;
      assertEquals("share of tier " + DemoLakeSpec.LOYALTY_TIERS.get(i), shares.get(i), share, 0.04);
    }
    Row r = sql("SELECT avg(CASE WHEN signup_ts >= '2025-01-01' THEN 1.0 ELSE 0.0 END),"
        + " sum(CASE WHEN signup_ts >= '2025-01-01' AND loyalty_tier <> 'none' THEN 1 ELSE 0 END),"
        + " max(signup_ts), count(DISTINCT email), sum(CASE WHEN email NOT LIKE '%@%.%' OR phone NOT LIKE '+%' OR full_name NOT LIKE '% %' THEN 1 ELSE 0 END) FROM users");
    assertEquals("share of users who sign up during the period", DemoLakeSpec.NEW_USER_SHARE, r.getDecimal(0).doubleValue(), 0.05);
    assertEquals("new users are never loyalty members", 0L, r.getLong(1));
    Assert.assertTrue(r.getTimestamp(2).toInstant().isBefore(DemoLakeSpec.END));
    assertEquals("emails are unique", 1000L, r.getLong(3));
    assertEquals("malformed PII-like values", 0L, r.getLong(4));
    assertEquals(0L, sql("SELECT count(*) FROM events e JOIN users u USING (user_id) WHERE e.event_ts < u.signup_ts").getLong(0));
  }

  @Test
  public void noEventBeforeItsItemIsLaunchedAndLateItemsStillSell() {
    assertEquals(0L, sql("SELECT count(*) FROM events e JOIN items i USING (item_id) WHERE e.event_ts < i.launch_ts").getLong(0));
    Row late = sql(String.format("SELECT count(*), min(launch_ts), max(launch_ts), count(DISTINCT e.item_id) FROM items i"
        + " LEFT JOIN (SELECT DISTINCT item_id FROM events) e USING (item_id) WHERE i.launch_ts >= '%s'", Timestamp.from(DemoLakeSpec.START)));
    Assert.assertTrue("late-launched items: " + late.getLong(0), late.getLong(0) >= 3 && late.getLong(0) <= 30);
    Assert.assertTrue(!late.getTimestamp(1).toInstant().isBefore(DemoLakeSpec.LATE_LAUNCH_FROM));
    Assert.assertTrue(late.getTimestamp(2).toInstant().isBefore(DemoLakeSpec.LATE_LAUNCH_UNTIL));
    assertEquals("every late item gets traffic after its launch", late.getLong(0), late.getLong(3));
  }

  @Test
  public void returnsFollowAPurchaseOfTheSameUserItemAndOrder() {
    Row r = sql("SELECT count(*), sum(CASE WHEN p.event_id IS NULL THEN 1 ELSE 0 END), sum(CASE WHEN r.unit_price <> p.unit_price OR r.quantity <> p.quantity THEN 1 ELSE 0 END)"
        + " FROM (SELECT * FROM events WHERE event_type = 'return') r LEFT JOIN (SELECT * FROM events WHERE event_type = 'purchase') p"
        + " ON r.user_id = p.user_id AND r.item_id = p.item_id AND r.order_id = p.order_id"
        + " AND r.event_ts >= p.event_ts + INTERVAL 2 DAYS AND r.event_ts < p.event_ts + INTERVAL 10 DAYS");
    long purchases = sql("SELECT count(*) FROM events WHERE event_type = 'purchase'").getLong(0);
    double returnShare = (double) r.getLong(0) / purchases;
    Assert.assertTrue("returns per purchase " + returnShare, returnShare > 0.03 && returnShare < 0.07);
    assertEquals("returns without a matching earlier purchase", 0L, r.getLong(1));
    assertEquals("returns at another price or quantity than the purchase", 0L, r.getLong(2));
  }

  @Test
  public void promotionHasMorePurchasesPerDayThanTheWeeksAround() {
    Row r = sql("SELECT sum(CASE WHEN d BETWEEN '2025-04-14' AND '2025-04-27' THEN n END) / 14,"
        + " sum(CASE WHEN d BETWEEN '2025-03-31' AND '2025-04-13' OR d BETWEEN '2025-04-28' AND '2025-05-11' THEN n END) / 28"
        + " FROM (SELECT to_date(event_ts) AS d, count(*) AS n FROM events WHERE event_type = 'purchase' GROUP BY 1)");
    double promo = r.getDouble(0);
    double around = r.getDouble(1);
    Assert.assertTrue("purchases per day: promotion " + promo + " vs the two weeks either side " + around, promo > 1.6 * around);
    Row discount = sql("SELECT min(e.unit_price / i.price), max(e.unit_price / i.price) FROM events e JOIN items i USING (item_id)"
        + " WHERE i.category IN ('fashion', 'home', 'beauty') AND e.event_type <> 'return' AND e.event_ts >= '2025-04-14' AND e.event_ts < '2025-04-28'");
    assertEquals(0.80, discount.getDecimal(0).doubleValue(), 0.005);
    assertEquals(0.80, discount.getDecimal(1).doubleValue(), 0.005);
  }

  @Test
  public void electronicsPricesRiseFifteenPercentFromTheShiftDate() {
    List<Row> rows = spark().sql("SELECT e.event_ts >= '2025-05-19' AS shifted, min(e.unit_price / i.price), max(e.unit_price / i.price), count(*)"
        + " FROM events e JOIN items i USING (item_id) WHERE i.category = 'electronics' AND e.event_type <> 'return' GROUP BY 1 ORDER BY 1").collectAsList();
    assertEquals(2, rows.size());
    Row before = rows.get(0);
    Row after = rows.get(1);
    assertEquals(1.0, before.getDecimal(1).doubleValue(), 1e-9);
    assertEquals(1.0, before.getDecimal(2).doubleValue(), 1e-9);
    assertEquals(1.15, after.getDecimal(1).doubleValue(), 0.001);
    assertEquals(1.15, after.getDecimal(2).doubleValue(), 0.001);
    Assert.assertTrue(before.getLong(3) > 1000 && after.getLong(3) > 500);
    Row others = sql("SELECT min(e.unit_price / i.price), max(e.unit_price / i.price) FROM events e JOIN items i USING (item_id)"
        + " WHERE i.category NOT IN ('electronics', 'fashion', 'home', 'beauty')");
    assertEquals("other categories never change price", 1.0, others.getDecimal(0).doubleValue(), 1e-9);
    assertEquals(1.0, others.getDecimal(1).doubleValue(), 1e-9);
  }

  @Test
  public void loyaltyMembersConcentrateOnTheirTopCategoryAndNewUsersDoNot() {
    List<Row> rows = spark().sql("WITH per_category AS (SELECT e.user_id, i.category, count(*) AS n FROM events e JOIN items i USING (item_id)"
        + "   WHERE e.event_type = 'purchase' GROUP BY 1, 2),"
        + " per_user AS (SELECT user_id, max(n) / sum(n) AS top_share FROM per_category GROUP BY 1 HAVING sum(n) >= 3)"
        + " SELECT CASE WHEN u.loyalty_tier <> 'none' THEN 'member' WHEN u.signup_ts >= '2025-01-01' THEN 'new' ELSE 'existing' END AS segment,"
        + " avg(top_share), count(*) FROM per_user JOIN users u USING (user_id) GROUP BY 1").collectAsList();
    Map<String, Double> share = new HashMap<>();
    Map<String, Long> users = new HashMap<>();
    for (Row row : rows) {
      share.put(row.getString(0), row.getDouble(1));
      users.put(row.getString(0), row.getLong(2));
    }
    String summary = "top-category purchase share " + share + " over users " + users;
    Assert.assertTrue(summary, users.get("member") >= 100 && users.get("new") >= 10 && users.get("existing") >= 50);
    Assert.assertTrue(summary, share.get("member") > 0.75);
    Assert.assertTrue(summary, share.get("new") < 0.55);
    Assert.assertTrue(summary, share.get("member") - share.get("existing") > 0.25);
  }

  @Test
  public void popularityIsSkewedInsideEachCategory() {
    Row r = sql("SELECT max(n) / sum(n), count(*) FROM (SELECT item_id, count(*) AS n FROM events WHERE event_type = 'view' GROUP BY 1)");
    double topShare = r.getDouble(0);
    Assert.assertTrue("share of views on the most viewed item " + topShare, topShare > 0.01 && topShare < 0.1);
    Assert.assertTrue("items with views " + r.getLong(1), r.getLong(1) > 250);
  }

  @Test
  public void drawsFollowTheirDistributions() {
    Draws draws = new Draws(SEED);
    Column id = col("id");
    // Each draw computed once per row, then aggregated (the unit tests' session evaluates a repeated expression again).
    Row r = spark().range(200_000).select(
        draws.uniform("u", id).equalTo(DeterministicRandom.uniform(SEED, "u", id)).as("u"),
        draws.poisson("p", lit(0.5), 9, id).as("p"),
        draws.poisson("q", lit(2.5), 9, id).as("q"),
        draws.zipfRank("z", lit(99L), id).as("z"),
        draws.below("b", 7, id).as("b"),
        draws.exponential("e", id).as("e")).select(
        sum(when(col("u"), 1).otherwise(0)),
        avg(col("p")),
        avg(when(col("p").equalTo(0), 1.0).otherwise(0.0)),
        avg(col("q")),
        avg(when(col("z").equalTo(0), 1.0).otherwise(0.0)),
        min(col("z")),
        max(col("z")),
        min(col("b")),
        max(col("b")),
        avg(col("e"))).first();
    assertEquals("uniform equals DeterministicRandom.uniform", 200_000L, r.getLong(0));
    assertEquals("Poisson(0.5) mean", 0.5, r.getDouble(1), 0.01);
    assertEquals("Poisson(0.5) P(0)", Math.exp(-0.5), r.getDouble(2), 0.005);
    assertEquals("Poisson(2.5) mean", 2.5, r.getDouble(3), 0.02);
    assertEquals("Zipf P(rank 0) over 99 items", Math.log(2) / Math.log(100), r.getDouble(4), 0.005);
    assertEquals(0L, r.getLong(5));
    assertEquals(98L, r.getLong(6));
    assertEquals(0L, r.getLong(7));
    assertEquals(6L, r.getLong(8));
    assertEquals("Exp(1) mean", 1.0, r.getDouble(9), 0.01);
  }

  @Test
  public void invalidArgumentsAreRejectedWithTheActualValues() {
    assertMessage("Cannot generate demo lake: scale must be >= 1, got 0", () -> DemoLakeGenerator.builder().scale(0).build());
    assertMessage("Cannot generate demo lake: scale must be <= 10000, got 10001", () -> DemoLakeGenerator.builder().scale(10_001).build());
    assertMessage("Cannot generate demo lake: partitions must be >= 1, got 0", () -> DemoLakeGenerator.builder().partitions(0).build());
    assertMessage("Cannot generate demo lake: no SparkSession was given", () -> DemoLakeGenerator.builder().build().generate((SparkSession) null));
  }

  private static void assertMessage(String expected, Runnable action) {
    try {
      action.run();
      Assert.fail("expected: " + expected);
    } catch (RehearsalException e) {
      assertEquals(expected, e.getMessage());
      assertEquals(RehearsalException.Kind.INVALID_INPUT, e.kind());
    }
  }

  private Row sql(String query) {
    return spark().sql(query).first();
  }

  private static Map<String, String> hashes(DemoLake lake) {
    Map<String, String> result = new HashMap<>();
    for (String table : CanonicalTables.ALL) {
      result.put(table, ContentHash.of(lake.table(table)));
    }
    return result;
  }
}
