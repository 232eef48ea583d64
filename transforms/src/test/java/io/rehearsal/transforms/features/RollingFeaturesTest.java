package io.rehearsal.transforms.features;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.junit.Assert;
import org.junit.Test;

/**
 * The rolling engine against a naive reference that recomputes every (entity, as-of day, feature,
 * window) from the raw events in plain Java, with the point-in-time rule written on instants.
 */
public class RollingFeaturesTest extends SparkTestBase {

  private static final LocalDate FIRST_EVENT_DAY = LocalDate.of(2024, 1, 1);
  private static final LocalDate AS_OF_START = LocalDate.of(2024, 1, 3);
  private static final LocalDate AS_OF_END = LocalDate.of(2024, 4, 25);
  private static final String REVENUE = "quantity * unit_price";
  private static final String BUYS_OR_RETURNS = "event_type IN ('purchase', 'return')";

  private static final List<FeatureSpec> SPECS = List.of(
      FeatureSpec.of("events", Entity.USER, null, Aggregate.COUNT, null, 1, 7, 30),
      FeatureSpec.of("purchases", Entity.USER, "event_type = 'purchase'", Aggregate.COUNT, null, 7, 30),
      FeatureSpec.of("views", Entity.USER, "event_type = 'view'", Aggregate.COUNT, null, 7, 30),
      FeatureSpec.of("priced", Entity.USER, null, Aggregate.COUNT, "unit_price", 7),
      FeatureSpec.of("revenue", Entity.USER, BUYS_OR_RETURNS, Aggregate.SUM, REVENUE, 1, 7, 30),
      FeatureSpec.of("revenue_double", Entity.USER, BUYS_OR_RETURNS, Aggregate.SUM,
          "CAST(unit_price AS DOUBLE) * quantity / 3", 7, 30),
      FeatureSpec.of("units", Entity.USER, null, Aggregate.SUM, "quantity", 7),
      FeatureSpec.of("avg_price", Entity.USER, null, Aggregate.AVG, "unit_price", 7, 30),
      FeatureSpec.of("avg_units_double", Entity.USER, null, Aggregate.AVG, "CAST(quantity AS DOUBLE) / 7", 7),
      FeatureSpec.of("min_line", Entity.USER, BUYS_OR_RETURNS, Aggregate.MIN, REVENUE, 1, 7, 30),
      FeatureSpec.of("max_line", Entity.USER, BUYS_OR_RETURNS, Aggregate.MAX, REVENUE, 1, 7, 30),
      FeatureSpec.of("max_units", Entity.USER, null, Aggregate.MAX, "quantity", 7),
      FeatureSpec.of("first_device", Entity.USER, null, Aggregate.MIN, "device", 30),
      FeatureSpec.of("items", Entity.USER, null, Aggregate.COUNT_DISTINCT, "item_id", 1, 7, 30),
      FeatureSpec.of("devices", Entity.USER, null, Aggregate.COUNT_DISTINCT, "device", 7),
      FeatureSpec.ratio("conversion", Entity.USER, "purchases", "views", 7, 30),
      FeatureSpec.ratio("revenue_per_event", Entity.USER, "revenue", "events", 7),
      FeatureSpec.of("since_purchase", Entity.USER, "event_type = 'purchase'", Aggregate.DAYS_SINCE_LAST, null),
      FeatureSpec.of("since_event", Entity.USER, null, Aggregate.DAYS_SINCE_LAST, null, 7),
      FeatureSpec.of("last_price", Entity.USER, null, Aggregate.LAST, "unit_price", 1, 7, 30),
      FeatureSpec.of("last_device", Entity.USER, "event_type <> 'view'", Aggregate.LAST, "device"),
      FeatureSpec.lastLagged("device_week_ago", Entity.USER, null, "device", 7),
      FeatureSpec.of("top_item_share", Entity.USER, null, Aggregate.TOP_SHARE, "item_id", 7, 30),
      FeatureSpec.of("top_device_share", Entity.USER, BUYS_OR_RETURNS, Aggregate.TOP_SHARE, "device", 30),
      FeatureSpec.relativeChange("revenue_vs_events", Entity.USER, "revenue", "events", 7),
      FeatureSpec.of("item_views", Entity.ITEM, "event_type = 'view'", Aggregate.COUNT, null, 7, 30),
      FeatureSpec.of("item_buyers", Entity.ITEM, "event_type = 'purchase'", Aggregate.COUNT_DISTINCT, "user_id", 30),
      FeatureSpec.of("item_revenue", Entity.ITEM, BUYS_OR_RETURNS, Aggregate.SUM, REVENUE, 7),
      FeatureSpec.of("item_min_price", Entity.ITEM, null, Aggregate.MIN, "unit_price", 7),
      FeatureSpec.of("item_since_view", Entity.ITEM, "event_type = 'view'", Aggregate.DAYS_SINCE_LAST, null),
      FeatureSpec.of("item_price", Entity.ITEM, null, Aggregate.LAST, "unit_price"),
      FeatureSpec.lastLagged("item_price_ago", Entity.ITEM, null, "unit_price", 30),
      FeatureSpec.relativeChange("item_price_change", Entity.ITEM, "item_price", "item_price_ago"),
      FeatureSpec.ratio("item_price_ratio", Entity.ITEM, "item_price", "item_price_ago"),
      FeatureSpec.of("item_age_days", Entity.ITEM, null, Aggregate.ATTRIBUTE, "datediff(as_of_date, to_date(launch_ts))"),
      FeatureSpec.of("item_is_new", Entity.ITEM, null, Aggregate.ATTRIBUTE, "datediff(as_of_date, to_date(launch_ts)) < 30"));

  @Test
  public void everyAggregateAndWindowMatchesTheNaiveReference() {
    RollingFeatures features = RollingFeatures.of(SPECS);
    for (long seed : new long[] {7L, 20240101L}) {
      List<Row> raw = randomEvents(seed);
      assertEdgeCasesPresent(raw);
      Dataset<Row> events = spark().createDataFrame(raw, CanonicalTables.EVENTS_SCHEMA);
      for (Entity entity : Entity.values()) {
        Dataset<Row> computed = features.compute(events, entity == Entity.ITEM ? items() : null, entity, AS_OF_START,
            AS_OF_END);
        assertEquals(features.outputColumns(entity), List.of(computed.columns()));
        compareWithReference("seed " + seed + ", " + entity, features.specsOf(entity), events, computed, entity,
            AS_OF_START, AS_OF_END, true);
      }
    }
  }

  @Test
  public void aSetOfDaysGivesBitForBitTheRowsOfEachDayComputedAlone() {
    // The drift suite computes a reference week, a current week and a weekly series in one pass; each row
    // must equal the row of that day computed on its own (the path the naive reference above checks),
    // to the last bit, or drift results would depend on which other days were asked for.
    RollingFeatures features = RollingFeatures.of(SPECS);
    Dataset<Row> events = spark().createDataFrame(randomEvents(7L), CanonicalTables.EVENTS_SCHEMA).cache();
    java.util.TreeSet<LocalDate> days = new java.util.TreeSet<>(List.of(LocalDate.of(2024, 1, 3),
        LocalDate.of(2024, 1, 10), LocalDate.of(2024, 2, 1), LocalDate.of(2024, 2, 2), LocalDate.of(2024, 2, 3),
        LocalDate.of(2024, 3, 15), LocalDate.of(2024, 4, 25)));
    for (Entity entity : Entity.values()) {
      Dataset<Row> items = entity == Entity.ITEM ? items() : null;
      Dataset<Row> alone = null;
      for (LocalDate day : days) {
        Dataset<Row> one = features.compute(events, items, entity, day, day);
        alone = alone == null ? one : alone.unionByName(one);
      }
      List<String> expected = alone.collectAsList().stream().map(Row::toString).sorted().toList();
      List<String> actual = features.compute(events, items, entity, days).collectAsList().stream()
          .map(Row::toString).sorted().toList();
      Assert.assertTrue(entity + ": some day has rows", expected.size() > days.size());
      assertEquals(entity + " rows of the day set", expected, actual);
    }
    events.unpersist();
  }

  @Test
  public void withoutDaysSinceLastOnlyTheTrailingHistoryIsReadAndResultsStayTheSame() {
    // Without DAYS_SINCE_LAST the engine drops partials older than the longest window before the range;
    // a range starting mid-data checks that nothing needed is dropped.
    List<FeatureSpec> specs = SPECS.stream()
        .filter(s -> s.entity() == Entity.USER && s.aggregate() != Aggregate.DAYS_SINCE_LAST).toList();
    Dataset<Row> events = spark().createDataFrame(randomEvents(99L), CanonicalTables.EVENTS_SCHEMA);
    LocalDate start = LocalDate.of(2024, 2, 20);
    LocalDate end = LocalDate.of(2024, 3, 12);
    Dataset<Row> computed = RollingFeatures.of(specs).compute(events, Entity.USER, start, end);
    compareWithReference("seed 99, USER without DAYS_SINCE_LAST", specs, events, computed, Entity.USER, start, end,
        false);
  }

  @Test
  public void withWholeHistoryFeaturesOldPartialsFoldIntoOneRowAndResultsStayTheSame() {
    // With DAYS_SINCE_LAST and lagged LAST the engine folds the partials visible on or before start − 30 days
    // (the longest window and lag here) into one row per entity holding their maxima. Starting mid-data, a user
    // whose last purchase lies in that folded stretch still gets the right days since it, and every other
    // column the reference's value (the naive implementation in this class, which never folds anything).
    Dataset<Row> events = spark().createDataFrame(randomEvents(99L), CanonicalTables.EVENTS_SCHEMA);
    LocalDate start = LocalDate.of(2024, 3, 15);
    LocalDate end = LocalDate.of(2024, 4, 5);
    RollingFeatures features = RollingFeatures.of(SPECS);
    Dataset<Row> users = null;
    for (Entity entity : Entity.values()) {
      Dataset<Row> computed = features.compute(events, entity == Entity.ITEM ? items() : null, entity, start, end);
      compareWithReference("seed 99, " + entity + " from mid-data", features.specsOf(entity), events, computed, entity,
          start, end, false);
      if (entity == Entity.USER) {
        users = computed;
      }
    }
    // The fold mattered: some user's days since the last purchase reach back before start − 30 days.
    long reachingBack = users.where(col(RollingFeatures.AS_OF_DATE).equalTo(java.sql.Date.valueOf(start))
        .and(col("since_purchase").gt(30))).count();
    Assert.assertTrue("no row reaches into the folded history", reachingBack > 0);
  }

  @Test
  public void outputTypesFollowTheAggregate() {
    RollingFeatures features = RollingFeatures.of(SPECS);
    Dataset<Row> computed = features.compute(spark().createDataFrame(randomEvents(1L), CanonicalTables.EVENTS_SCHEMA),
        Entity.USER, AS_OF_START, AS_OF_START.plusDays(3));
    Map<String, String> types = new HashMap<>();
    for (var field : computed.schema().fields()) {
      types.put(field.name(), field.dataType().simpleString());
    }
    assertEquals("string", types.get("user_id"));
    assertEquals("date", types.get("as_of_date"));
    assertEquals("bigint", types.get("events_7d"));
    assertEquals("decimal(33,2)", types.get("revenue_7d")); // Spark's sum type of decimal(23,2) quantity × price
    assertEquals("double", types.get("revenue_double_7d"));
    assertEquals("bigint", types.get("units_7d"));
    assertEquals("double", types.get("avg_price_7d"));
    assertEquals("decimal(23,2)", types.get("min_line_7d"));
    assertEquals("int", types.get("max_units_7d"));
    assertEquals("string", types.get("first_device_30d"));
    assertEquals("bigint", types.get("items_7d"));
    assertEquals("double", types.get("conversion_7d"));
    assertEquals("int", types.get("since_purchase"));
    assertEquals("int", types.get("since_event_7d"));
    assertEquals("decimal(12,2)", types.get("last_price_7d"));
    assertEquals("string", types.get("device_week_ago"));
    assertEquals("double", types.get("top_item_share_30d"));
    assertEquals("double", types.get("revenue_vs_events_7d"));
  }

  @Test
  public void lateAndBoundaryEventsNeverLeakIntoEarlierDays() {
    List<FeatureSpec> specs = List.of(
        FeatureSpec.of("events", Entity.USER, null, Aggregate.COUNT, null, 7, 30),
        FeatureSpec.of("purchases", Entity.USER, "event_type = 'purchase'", Aggregate.COUNT, null, 7, 30),
        FeatureSpec.of("max_units", Entity.USER, null, Aggregate.MAX, "quantity", 30),
        FeatureSpec.of("since_purchase", Entity.USER, "event_type = 'purchase'", Aggregate.DAYS_SINCE_LAST, null));
    List<Row> rows = List.of(
        // Background activity of user a, so that a has a row on every day below.
        event("e0", "a", "view", "2024-03-01T10:00:00Z", null, 1),
        // Purchase on 03-10, ingested 03-14 08:00: visible from 03-15 only.
        event("e1", "a", "purchase", "2024-03-10T12:00:00Z", "2024-03-14T08:00:00Z", 5),
        // A view exactly at the as-of instant of 03-12: part of 03-13's history, not 03-12's.
        event("e2", "a", "view", "2024-03-12T00:00:00Z", null, 2),
        // User b: a purchase ingested 11 days late is never in the 7-day window, only in the 30-day one.
        event("e3", "b", "purchase", "2024-03-01T09:00:00Z", "2024-03-11T00:00:00Z", 3),
        // An event ingested exactly at the as-of instant of 03-05 is visible from 03-06.
        event("e4", "b", "view", "2024-03-02T09:00:00Z", "2024-03-05T00:00:00Z", 1));
    Dataset<Row> computed = RollingFeatures.of(specs).compute(
        spark().createDataFrame(rows, CanonicalTables.EVENTS_SCHEMA), Entity.USER,
        LocalDate.of(2024, 3, 1), LocalDate.of(2024, 3, 20));
    Map<String, Row> byKey = new HashMap<>();
    for (Row row : computed.collectAsList()) {
      byKey.put(row.getString(0) + "@" + row.getDate(1).toLocalDate(), row);
    }
    // a on 03-12: only e0; the late purchase and the boundary view are not visible yet.
    assertRow(byKey, "a@2024-03-12", 0L, 1L, 0L, 0L, 1, null);
    assertRow(byKey, "a@2024-03-13", 1L, 2L, 0L, 0L, 2, null);
    assertRow(byKey, "a@2024-03-14", 1L, 2L, 0L, 0L, 2, null);
    assertRow(byKey, "a@2024-03-15", 2L, 3L, 1L, 1L, 5, 5);
    assertRow(byKey, "a@2024-03-17", 2L, 3L, 1L, 1L, 5, 7);
    assertRow(byKey, "a@2024-03-18", 1L, 3L, 0L, 1L, 5, 8); // the 03-10 purchase left the 7-day window
    Assert.assertFalse("a has no row before its first event is visible", byKey.containsKey("a@2024-03-01"));
    assertRow(byKey, "a@2024-03-02", 1L, 1L, 0L, 0L, 1, null);
    // b: the purchase of 03-01 is visible from 03-12 (ingested 03-11) but its 7-day window ended on 03-08.
    assertRow(byKey, "b@2024-03-11", 0L, 1L, 0L, 0L, 1, null);
    assertRow(byKey, "b@2024-03-12", 0L, 2L, 0L, 1L, 3, 11);
    assertRow(byKey, "b@2024-03-18", 0L, 2L, 0L, 1L, 3, 17);
    // b's view ingested exactly at 03-05 00:00 is not visible on 03-05, only from 03-06.
    Assert.assertFalse("b has no row while none of its events is visible", byKey.containsKey("b@2024-03-05"));
    assertRow(byKey, "b@2024-03-06", 1L, 1L, 0L, 0L, 1, null);
  }

  @Test
  public void expressionsAreCheckedAgainstTheEvents() {
    Dataset<Row> events = spark().createDataFrame(randomEvents(3L), CanonicalTables.EVENTS_SCHEMA);
    RehearsalException e = computeRejected(events,
        FeatureSpec.of("units", Entity.USER, "quantity", Aggregate.COUNT, null, 7));
    assertEquals("Cannot compute feature 'units': filter must be a boolean expression, got 'quantity' of type int",
        e.getMessage());
    e = computeRejected(events, FeatureSpec.of("spend", Entity.USER, null, Aggregate.SUM, "device", 7));
    assertEquals("Cannot compute feature 'spend': value of aggregate SUM must be numeric, got 'device' of type string",
        e.getMessage());
    e = computeRejected(events, FeatureSpec.of("spend", Entity.USER, "no_such_column > 1", Aggregate.COUNT, null, 7));
    Assert.assertTrue(e.getMessage(), e.getMessage().startsWith("Cannot compute feature 'spend': filter is not a "
        + "valid expression over the event columns, got 'no_such_column > 1' ("));
    e = computeRejected(events, FeatureSpec.of("units", Entity.USER, null, Aggregate.COUNT, null, 7),
        LocalDate.of(2024, 2, 1), LocalDate.of(2024, 1, 31));
    assertEquals("Cannot compute USER features: the as-of start must not be after the end, got start 2024-02-01 "
        + "and end 2024-01-31", e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // Randomized events

  private static List<Row> randomEvents(long seed) {
    Random random = new Random(seed);
    String[] types = {"view", "view", "view", "click", "click", "add_to_cart", "purchase", "purchase", "return"};
    String[] devices = {"web", "ios", "android", null};
    List<Row> rows = new ArrayList<>();
    int n = 0;
    for (int u = 0; u < 20; u++) {
      String user = String.format("u%02d", u);
      int bursts = 1 + random.nextInt(3);
      for (int b = 0; b < bursts; b++) {
        int burstStart = random.nextInt(72); // gaps of many days between bursts; all drain before AS_OF_END
        int burstDays = 1 + random.nextInt(8);
        int count = 2 + random.nextInt(10);
        for (int k = 0; k < count; k++) {
          LocalDate day = FIRST_EVENT_DAY.plusDays(burstStart + random.nextInt(burstDays));
          Instant midnight = day.atStartOfDay(ZoneOffset.UTC).toInstant();
          int timeKind = random.nextInt(10);
          Instant ts = timeKind < 2 ? midnight // exactly on a day boundary
              : timeKind == 2 ? midnight.plus(Duration.ofDays(1)).minusNanos(1000) // last microsecond of the day
              : midnight.plusSeconds(random.nextInt(86_400));
          String type = types[random.nextInt(types.length)];
          int quantity = (1 + random.nextInt(3)) * (type.equals("return") ? -1 : 1);
          BigDecimal price = random.nextInt(8) == 0 ? null
              : BigDecimal.valueOf(100 + random.nextInt(20_000), 2);
          int ingestKind = random.nextInt(20);
          Instant ingested;
          if (ingestKind < 3) {
            ingested = null;
          } else if (ingestKind < 6) {
            ingested = ts.plus(Duration.ofDays(1 + random.nextInt(12))).plusSeconds(random.nextInt(86_400)); // late
          } else if (ingestKind < 7) {
            ingested = midnight.plus(Duration.ofDays(1 + random.nextInt(4))); // exactly at a later as-of instant
          } else if (ingestKind < 8) {
            ingested = ts.minusSeconds(random.nextInt(3_600)); // clock skew: ingested "before" the event
          } else {
            ingested = ts.plusSeconds(random.nextInt(7_200)); // on time (sometimes crossing midnight)
          }
          String item = String.format("i%02d", random.nextInt(15));
          rows.add(RowFactory.create("e" + (n++), user, item, type, Timestamp.from(ts),
              "s" + random.nextInt(40), type.equals("purchase") ? "o" + n : null, quantity, price,
              "DE", devices[random.nextInt(devices.length)], ingested == null ? null : Timestamp.from(ingested)));
        }
      }
    }
    return rows;
  }

  private static void assertEdgeCasesPresent(List<Row> rows) {
    int late = 0;
    int onBoundary = 0;
    int negative = 0;
    int nullPrice = 0;
    for (Row row : rows) {
      Instant ts = row.getTimestamp(4).toInstant();
      Timestamp ingested = row.getTimestamp(11);
      if (ingested != null && day(ingested.toInstant()).isAfter(day(ts))) {
        late++;
      }
      if (ts.equals(day(ts).atStartOfDay(ZoneOffset.UTC).toInstant())) {
        onBoundary++;
      }
      if (row.getInt(7) < 0 && row.get(8) != null) {
        negative++;
      }
      if (row.get(8) == null) {
        nullPrice++;
      }
    }
    String summary = "late " + late + ", on boundary " + onBoundary + ", negative " + negative + ", null price "
        + nullPrice + " of " + rows.size();
    Assert.assertTrue(summary, rows.size() >= 150 && late >= 10 && onBoundary >= 10 && negative >= 5 && nullPrice >= 5);
  }

  private static Row event(String id, String user, String type, String ts, String ingested, int quantity) {
    return RowFactory.create(id, user, "i1", type, Timestamp.from(Instant.parse(ts)), null, null, quantity,
        new BigDecimal("10.00"), null, null, ingested == null ? null : Timestamp.from(Instant.parse(ingested)));
  }

  // ---------------------------------------------------------------------------------------------
  // Naive reference: plain Java over the collected events, the rule written on instants.

  /** One event as the reference sees it: instants plus each feature's filter result and value. */
  private record RefEvent(String entity, Instant ts, Instant ingested, Map<String, Boolean> match,
      Map<String, Object> value) {}

  private void compareWithReference(String context, List<FeatureSpec> specs, Dataset<Row> events,
      Dataset<Row> computed, Entity entity, LocalDate start, LocalDate end, boolean wholeRange) {
    List<FeatureSpec> base = specs.stream().filter(s -> !s.aggregate().isDerived()).toList();
    List<FeatureSpec> onEvents = base.stream().filter(s -> s.aggregate() != Aggregate.ATTRIBUTE).toList();
    List<Column> columns = new ArrayList<>(List.of(col(entity.idColumn()), col("event_ts"), col("ingested_at")));
    for (FeatureSpec spec : onEvents) {
      columns.add(expr(spec.effectiveFilter()).as("f_" + spec.name()));
      columns.add((spec.hasValue() ? expr(spec.value()) : expr("NULL")).as("v_" + spec.name()));
    }
    List<RefEvent> refEvents = new ArrayList<>();
    Set<String> entities = new TreeSet<>();
    for (Row row : events.select(columns.toArray(Column[]::new)).collectAsList()) {
      Map<String, Boolean> match = new HashMap<>();
      Map<String, Object> value = new HashMap<>();
      for (int i = 0; i < onEvents.size(); i++) {
        match.put(onEvents.get(i).name(), Boolean.TRUE.equals(row.get(3 + 2 * i)));
        value.put(onEvents.get(i).name(), row.get(4 + 2 * i));
      }
      refEvents.add(new RefEvent(row.getString(0), row.getTimestamp(1).toInstant(),
          row.getTimestamp(2) == null ? null : row.getTimestamp(2).toInstant(), match, value));
      entities.add(row.getString(0));
    }
    int maxWindow = onEvents.stream().flatMap(s -> s.windows().stream()).mapToInt(Integer::intValue).max().orElseThrow();

    Map<String, Row> actualRows = new HashMap<>();
    for (Row row : computed.collectAsList()) {
      Assert.assertNull(context + ": duplicate row " + row, actualRows.put(
          row.getString(0) + "@" + row.getDate(1).toLocalDate(), row));
    }
    List<String> mismatches = new ArrayList<>();
    int expectedRows = 0;
    int comparedNonNull = 0;
    int drained = 0;
    for (String id : entities) {
      boolean wasActive = false;
      for (LocalDate d = start; !d.isAfter(end); d = d.plusDays(1)) {
        Instant asOf = d.atStartOfDay(ZoneOffset.UTC).toInstant();
        List<RefEvent> visible = new ArrayList<>();
        for (RefEvent ev : refEvents) {
          if (ev.entity().equals(id) && ev.ts().isBefore(asOf) && (ev.ingested() == null || ev.ingested().isBefore(asOf))) {
            visible.add(ev);
          }
        }
        Instant activeFrom = asOf.minus(Duration.ofDays(maxWindow));
        boolean active = visible.stream().anyMatch(ev -> !ev.ts().isBefore(activeFrom));
        Row actual = actualRows.get(id + "@" + d);
        if (!active) {
          drained += wasActive ? 1 : 0;
          wasActive = false;
          if (actual != null) {
            mismatches.add(id + "@" + d + ": unexpected row " + actual);
          }
          continue;
        }
        wasActive = true;
        expectedRows++;
        if (actual == null) {
          mismatches.add(id + "@" + d + ": missing row");
          continue;
        }
        Map<String, Object> expected = new HashMap<>();
        for (FeatureSpec spec : base) {
          if (spec.aggregate() == Aggregate.ATTRIBUTE) {
            expected.put(spec.name(), attributeReference(spec, id, d));
            continue;
          }
          if (spec.windows().isEmpty()) {
            List<RefEvent> seen = visible;
            if (spec.lagDays() != null) {
              Instant lagged = asOf.minus(Duration.ofDays(spec.lagDays()));
              seen = visibleAt(refEvents, id, lagged);
            }
            expected.put(spec.name(), reference(spec, seen, asOf, null));
          }
          for (Integer window : spec.windows()) {
            expected.put(spec.columnName(window), reference(spec, visible, asOf, window));
          }
        }
        for (FeatureSpec spec : specs) {
          if (spec.aggregate().isDerived()) {
            for (String column : spec.outputColumns()) {
              String suffix = column.substring(spec.name().length());
              Object num = expected.get(spec.numerator() + suffix);
              Object den = expected.get(spec.denominator() + suffix);
              Object value = den == null || toDouble(den) == 0.0 || num == null ? null
                  : spec.aggregate() == Aggregate.RATIO ? toDouble(num) / toDouble(den)
                  : (toDouble(num) - toDouble(den)) / toDouble(den);
              expected.put(column, value);
            }
          }
          for (String column : spec.outputColumns()) {
            Object want = expected.get(column);
            Object got = actual.get(actual.fieldIndex(column));
            if (!same(want, got)) {
              mismatches.add(id + "@" + d + " " + column + ": expected " + want + ", got " + got);
            }
            comparedNonNull += got == null ? 0 : 1;
          }
        }
      }
    }
    if (!mismatches.isEmpty()) {
      Assert.fail(context + ": " + mismatches.size() + " mismatches, first: "
          + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
    }
    assertEquals(context + ": row count", expectedRows, actualRows.size());
    int minRows = wholeRange ? 300 : 100;
    Assert.assertTrue(context + ": too few rows/values compared (" + expectedRows + ", " + comparedNonNull + ")",
        expectedRows >= minRows && comparedNonNull >= 3 * minRows);
    if (wholeRange) {
      Assert.assertTrue(context + ": no entity's windows drained to empty before the end", drained > 0);
    }
  }

  private static List<RefEvent> visibleAt(List<RefEvent> all, String id, Instant asOf) {
    List<RefEvent> visible = new ArrayList<>();
    for (RefEvent ev : all) {
      if (ev.entity().equals(id) && ev.ts().isBefore(asOf) && (ev.ingested() == null || ev.ingested().isBefore(asOf))) {
        visible.add(ev);
      }
    }
    return visible;
  }

  /** Launch days of the items table in {@link #items()}: i00…i13 (i14 has no row; every 4th has no launch). */
  private static LocalDate launchDay(String item) {
    int n = Integer.parseInt(item.substring(1));
    return n >= 14 || n % 4 == 3 ? null : FIRST_EVENT_DAY.plusDays(n * 9L - 20);
  }

  private Dataset<Row> items() {
    List<Row> rows = new ArrayList<>();
    for (int n = 0; n < 14; n++) {
      String item = String.format("i%02d", n);
      LocalDate launch = launchDay(item);
      rows.add(RowFactory.create(item, "c" + (n % 3), null, new BigDecimal("9.99"),
          launch == null ? null : Timestamp.from(launch.atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(3600 * n)),
          null));
    }
    return spark().createDataFrame(rows, CanonicalTables.ITEMS_SCHEMA);
  }

  private static Object attributeReference(FeatureSpec spec, String item, LocalDate asOf) {
    LocalDate launch = launchDay(item);
    if (launch == null) {
      return null;
    }
    int age = (int) (asOf.toEpochDay() - launch.toEpochDay());
    return spec.name().equals("item_age_days") ? (Object) age : (Object) (age < 30);
  }

  private static Object reference(FeatureSpec spec, List<RefEvent> visible, Instant asOf, Integer window) {
    Instant from = window == null ? Instant.MIN : asOf.minus(Duration.ofDays(window));
    List<Object> values = new ArrayList<>();
    Instant last = null;
    Object lastValue = null;
    for (RefEvent ev : visible) {
      if (ev.ts().isBefore(from) || !ev.match().get(spec.name())) {
        continue;
      }
      Object value = ev.value().get(spec.name());
      if (spec.aggregate() == Aggregate.DAYS_SINCE_LAST) {
        last = last == null || ev.ts().isAfter(last) ? ev.ts() : last;
      } else if (spec.aggregate() == Aggregate.LAST) {
        if (value == null) {
          continue;
        }
        // The latest event wins; among events at the same instant, the largest value (deterministic).
        @SuppressWarnings({"unchecked", "rawtypes"})
        boolean later = last == null || ev.ts().isAfter(last)
            || (ev.ts().equals(last) && ((Comparable) value).compareTo(lastValue) > 0);
        if (later) {
          last = ev.ts();
          lastValue = value;
        }
      } else if (!spec.hasValue() || value != null) {
        values.add(value);
      }
    }
    switch (spec.aggregate()) {
      case LAST:
        return lastValue;
      case TOP_SHARE: {
        if (values.isEmpty()) {
          return null;
        }
        Map<Object, Integer> counts = new HashMap<>();
        values.forEach(v -> counts.merge(v, 1, Integer::sum));
        return (double) counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow() / values.size();
      }
      case COUNT:
        return (long) values.size();
      case SUM: {
        BigDecimal total = BigDecimal.ZERO;
        for (Object value : values) {
          total = total.add(toBigDecimal(value));
        }
        return total;
      }
      case AVG: {
        if (values.isEmpty()) {
          return null;
        }
        BigDecimal total = BigDecimal.ZERO;
        for (Object value : values) {
          total = total.add(toBigDecimal(value));
        }
        return total.doubleValue() / values.size();
      }
      case MIN:
      case MAX: {
        Object best = null;
        for (Object value : values) {
          @SuppressWarnings({"unchecked", "rawtypes"})
          int cmp = best == null ? 0 : ((Comparable) value).compareTo(best);
          if (best == null || (spec.aggregate() == Aggregate.MIN ? cmp < 0 : cmp > 0)) {
            best = value;
          }
        }
        return best;
      }
      case COUNT_DISTINCT:
        return (long) new HashSet<>(values).size();
      case DAYS_SINCE_LAST:
        return last == null ? null : (int) (day(asOf).toEpochDay() - day(last).toEpochDay());
      default:
        throw new IllegalStateException(spec.aggregate().toString());
    }
  }

  private static boolean same(Object expected, Object actual) {
    if (expected == null || actual == null) {
      return expected == null && actual == null;
    }
    if (actual instanceof Double got) {
      double want = toDouble(expected);
      return Math.abs(want - got) <= 1e-9 * Math.max(1.0, Math.max(Math.abs(want), Math.abs(got)));
    }
    if (actual instanceof BigDecimal || (expected instanceof BigDecimal && actual instanceof Number)) {
      return expected instanceof Number && toBigDecimal(expected).compareTo(toBigDecimal(actual)) == 0;
    }
    return expected.equals(actual);
  }

  private static BigDecimal toBigDecimal(Object value) {
    if (value instanceof BigDecimal decimal) {
      return decimal;
    }
    if (value instanceof Double || value instanceof Float) {
      return new BigDecimal(((Number) value).doubleValue());
    }
    return BigDecimal.valueOf(((Number) value).longValue());
  }

  private static double toDouble(Object value) {
    return ((Number) value).doubleValue();
  }

  private static LocalDate day(Instant instant) {
    return instant.atZone(ZoneOffset.UTC).toLocalDate();
  }

  private static void assertRow(Map<String, Row> byKey, String key, Long events7, Long events30, Long purchases7,
      Long purchases30, Integer maxUnits30, Integer sincePurchase) {
    Row row = byKey.get(key);
    Assert.assertNotNull("no row for " + key + " in " + new TreeSet<>(byKey.keySet()), row);
    assertEquals(key + " events_7d", events7, row.getAs("events_7d"));
    assertEquals(key + " events_30d", events30, row.getAs("events_30d"));
    assertEquals(key + " purchases_7d", purchases7, row.getAs("purchases_7d"));
    assertEquals(key + " purchases_30d", purchases30, row.getAs("purchases_30d"));
    assertEquals(key + " max_units_30d", maxUnits30, row.getAs("max_units_30d"));
    if (sincePurchase == null) {
      assertNull(key + " since_purchase", row.getAs("since_purchase"));
    } else {
      assertEquals(key + " since_purchase", sincePurchase, row.getAs("since_purchase"));
    }
  }

  private RehearsalException computeRejected(Dataset<Row> events, FeatureSpec spec) {
    return computeRejected(events, spec, AS_OF_START, AS_OF_END);
  }

  private RehearsalException computeRejected(Dataset<Row> events, FeatureSpec spec, LocalDate start, LocalDate end) {
    try {
      RollingFeatures.of(List.of(spec)).compute(events, Entity.USER, start, end).collectAsList();
    } catch (RehearsalException e) {
      return e;
    }
    Assert.fail("expected " + spec + " to be rejected");
    return null;
  }
}
