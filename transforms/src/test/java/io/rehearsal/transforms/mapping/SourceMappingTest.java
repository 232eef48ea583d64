package io.rehearsal.transforms.mapping;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

public class SourceMappingTest extends SparkTestBase {

  private static final String ORIGIN = "Mapping test.yaml";
  private static final String OK_TS = "2011-01-05 10:00:00";

  private static final StructType SOURCE = new StructType()
      .add("user", DataTypes.StringType)
      .add("item", DataTypes.StringType)
      .add("ts", DataTypes.StringType)
      .add("qty", DataTypes.StringType)
      .add("price", DataTypes.StringType)
      .add("kind", DataTypes.StringType);

  private Dataset<Row> source(Object[]... rows) {
    List<Row> list = new ArrayList<>();
    for (Object[] r : rows) {
      list.add(RowFactory.create(r));
    }
    return spark().createDataFrame(list, SOURCE);
  }

  private static Object[] row(String user, String item, String ts, String qty, String price, String kind) {
    return new Object[] {user, item, ts, qty, price, kind};
  }

  private static Map<String, ValueSpec> columns() {
    Map<String, ValueSpec> c = new LinkedHashMap<>();
    c.put("user_id", ValueSpec.source("user"));
    c.put("item_id", ValueSpec.source("item"));
    c.put("event_ts", ValueSpec.source("ts").withFormat("yyyy-MM-dd HH:mm:ss"));
    c.put("quantity", ValueSpec.source("qty"));
    c.put("unit_price", ValueSpec.source("price"));
    return c;
  }

  private static MappingSpec spec(Map<String, ValueSpec> columns, Map<String, DerivedColumn> items, Map<String, DerivedColumn> users) {
    return new MappingSpec(ORIGIN, "Europe/London", columns,
        List.of(new EventTypeRule("kind = 'buy'", "purchase"), new EventTypeRule("kind = 'return'", "return")),
        Map.of("return", QuantitySign.NEGATIVE),
        List.of(new ExclusionRule("test_rule", "item = 'X'")),
        items, users);
  }

  private static MappingSpec spec() {
    return spec(columns(), Map.of(), Map.of());
  }

  private static Map<String, Long> excludedCounts(MappedTables tables) {
    Map<String, Long> counts = new HashMap<>();
    for (Row r : tables.outcomes().collectAsList()) {
      String reason = r.getAs("reason");
      counts.merge(reason == null ? "kept" : reason, (Long) r.getAs("rows"), Long::sum);
    }
    return counts;
  }

  private static Instant instant(Row row, String column) {
    return ((Timestamp) row.getAs(column)).toInstant();
  }

  @Test
  public void everyRowIsKeptOrCountedUnderItsFirstReason() {
    Dataset<Row> source = source(
        row("u1", "i1", OK_TS, "2", "1.50", "buy"),
        row(null, "i1", OK_TS, "1", "1.50", "buy"),
        row("u1", "  ", OK_TS, "1", "1.50", "buy"),
        row("u1", "i1", "not a date", "1", "1.50", "buy"),
        row("u1", "i1", OK_TS, "2.5", "1.50", "buy"),
        row("u1", "i1", OK_TS, "1", "abc", "buy"),
        row("u1", "X", OK_TS, "1", "1.00", "buy"),
        row("u1", "i1", OK_TS, "1", "1.00", "browse"),
        row("u1", "i1", OK_TS, "1", "1.00", "return"),
        row("u2", "i2", OK_TS, "-3", "2.00", "return"),
        row("u2", "i2", OK_TS, "0", "2.00", "buy"),
        row(null, "X", "bad", "x", "y", "z"),
        row("u3", "i3", OK_TS, "1", null, "buy"));

    MappedTables tables = SourceMapping.apply(source, spec());

    assertEquals(List.of("missing_user_id", "missing_item_id", "missing_event_ts", "unparseable_event_ts",
        "missing_quantity", "unparseable_quantity", "unparseable_unit_price", "test_rule", "no_event_type",
        "quantity_sign_mismatch"), tables.exclusionReasons());
    Map<String, Long> expected = new HashMap<>();
    expected.put("kept", 3L);
    expected.put("missing_user_id", 2L);
    expected.put("missing_item_id", 1L);
    expected.put("unparseable_event_ts", 1L);
    expected.put("unparseable_quantity", 1L);
    expected.put("unparseable_unit_price", 1L);
    expected.put("test_rule", 1L);
    expected.put("no_event_type", 1L);
    expected.put("quantity_sign_mismatch", 2L);
    assertEquals(expected, excludedCounts(tables));

    List<Row> events = tables.events().orderBy("user_id").collectAsList();
    assertEquals(3, events.size());
    assertEquals("purchase", events.get(0).getAs("event_type"));
    assertEquals(2, (int) events.get(0).getAs("quantity"));
    assertEquals(new BigDecimal("1.50"), events.get(0).getAs("unit_price"));
    assertEquals(Instant.parse("2011-01-05T10:00:00Z"), instant(events.get(0), "event_ts"));
    assertEquals("return", events.get(1).getAs("event_type"));
    assertEquals(3, (int) events.get(1).getAs("quantity"));
    assertNull(events.get(2).getAs("unit_price"));
  }

  @Test
  public void schemasAreExactlyCanonical() {
    Map<String, DerivedColumn> items = Map.of("category", DerivedColumn.constant("unknown"));
    MappedTables tables = SourceMapping.apply(source(row("u1", "i1", OK_TS, "1", "1.00", "buy")), spec(columns(), items, Map.of()));
    assertEquals(CanonicalTables.EVENTS_SCHEMA, tables.events().schema());
    assertEquals(CanonicalTables.USERS_SCHEMA, tables.users().schema());
    assertEquals(CanonicalTables.ITEMS_SCHEMA, tables.items().schema());
  }

  @Test
  public void duplicateLinesGetDistinctIdsWhateverThePartitioning() {
    Dataset<Row> source = source(
        row("u1", "i1", OK_TS, "1", "1.00", "buy"),
        row("u1", "i1", OK_TS, "1", "1.00", "buy"),
        row("u1", "i1", OK_TS, "1", "1.00", "buy"),
        row("u1", "i2", OK_TS, "1", "1.00", "buy"),
        row("u2", "i1", OK_TS, "1", "1.00", "buy"));

    Set<String> ids = ids(SourceMapping.apply(source.repartition(1), spec()).events());
    assertEquals(5, ids.size());
    assertEquals(ids, ids(SourceMapping.apply(source.repartition(5), spec()).events()));
    assertEquals(ids, ids(SourceMapping.apply(source.orderBy(source.col("item").desc()).repartition(3), spec()).events()));
    assertEquals(ContentHash.of(SourceMapping.apply(source.repartition(1), spec()).events()),
        ContentHash.of(SourceMapping.apply(source.repartition(4), spec()).events()));
  }

  private static Set<String> ids(Dataset<Row> events) {
    Set<String> ids = new TreeSet<>();
    for (Row r : events.select("event_id").collectAsList()) {
      ids.add(r.getString(0));
    }
    return ids;
  }

  @Test
  public void timestampsAreWallClockInTheMappingZoneWhateverTheSessionZone() {
    Dataset<Row> source = source(
        row("winter", "i1", "2011-01-05 10:00:00", "1", "1.00", "buy"),
        row("summer", "i1", "2011-07-05 10:00:00", "1", "1.00", "buy"),
        row("gap", "i1", "2011-03-27 01:30:00", "1", "1.00", "buy"),
        row("overlap", "i1", "2011-10-30 01:30:00", "1", "1.00", "buy"));
    String sessionZone = spark().conf().get("spark.sql.session.timeZone");
    spark().conf().set("spark.sql.session.timeZone", "Asia/Tokyo");
    Map<String, Instant> byUser = new HashMap<>();
    try {
      for (Row r : SourceMapping.apply(source, spec()).events().collectAsList()) {
        byUser.put(r.getAs("user_id"), instant(r, "event_ts"));
      }
    } finally {
      spark().conf().set("spark.sql.session.timeZone", sessionZone);
    }
    assertEquals(Instant.parse("2011-01-05T10:00:00Z"), byUser.get("winter"));
    assertEquals(Instant.parse("2011-07-05T09:00:00Z"), byUser.get("summer"));
    // 01:30 does not exist on 2011-03-27 in London (clocks jump 01:00 -> 02:00): it moves forward to 02:30 BST.
    assertEquals(Instant.parse("2011-03-27T01:30:00Z"), byUser.get("gap"));
    // 01:30 happens twice on 2011-10-30: the earlier one (BST) is taken.
    assertEquals(Instant.parse("2011-10-30T00:30:00Z"), byUser.get("overlap"));
  }

  @Test
  public void derivedColumnsAggregateDeterministically() {
    Dataset<Row> source = source(
        row("u1", "i1", "2011-01-01 10:00:00", "1", "4.00", "buy"),
        row("u1", "i1", "2011-01-02 10:00:00", "1", "1.00", "buy"),
        row("u2", "i1", "2011-01-03 10:00:00", "1", "3.00", "buy"),
        row("u2", "i1", "2011-01-04 10:00:00", "-1", "9.00", "return"),
        row("u2", "i1", "2011-01-05 10:00:00", "1", "2.00", "buy"));
    Map<String, DerivedColumn> items = new LinkedHashMap<>();
    // Purchases priced 4, 1, 3, 2: lower median 2; the return's 9 is filtered out by where.
    items.put("price", DerivedColumn.of(Aggregation.MEDIAN, ValueSpec.expr("event.unit_price")).where("event.event_type = 'purchase'"));
    // Users u1 and u2 bought i1 twice each: the tie goes to the smaller value.
    items.put("brand", DerivedColumn.of(Aggregation.MOST_FREQUENT, ValueSpec.expr("event.user_id")).where("event.event_type = 'purchase'"));
    items.put("description", DerivedColumn.of(Aggregation.MOST_RECENT, ValueSpec.source("price")));
    items.put("launch_ts", DerivedColumn.of(Aggregation.MIN, ValueSpec.source("ts").withFormat("yyyy-MM-dd HH:mm:ss")));
    items.put("category", DerivedColumn.constant("gifts"));
    Map<String, DerivedColumn> users = new LinkedHashMap<>();
    users.put("signup_ts", DerivedColumn.of(Aggregation.EARLIEST, ValueSpec.expr("event.event_ts")));
    users.put("loyalty_tier", DerivedColumn.of(Aggregation.MAX, ValueSpec.expr("CASE WHEN event.quantity > 0 THEN 'gold' END")));

    MappedTables tables = SourceMapping.apply(source, spec(columns(), items, users));

    Row item = tables.items().first();
    assertEquals("i1", item.getAs("item_id"));
    assertEquals(new BigDecimal("2.00"), item.getAs("price"));
    assertEquals("u1", item.getAs("brand"));
    assertEquals("2.00", item.getAs("description"));
    assertEquals(Instant.parse("2011-01-01T10:00:00Z"), instant(item, "launch_ts"));
    assertEquals("gifts", item.getAs("category"));
    Map<String, Row> byUser = new HashMap<>();
    for (Row r : tables.users().collectAsList()) {
      byUser.put(r.getAs("user_id"), r);
    }
    assertEquals(Instant.parse("2011-01-03T10:00:00Z"), instant(byUser.get("u2"), "signup_ts"));
    assertEquals("gold", byUser.get("u2").getAs("loyalty_tier"));
    assertNull(byUser.get("u2").getAs("country"));
  }

  private static void assertRejected(Dataset<Row> source, MappingSpec spec, String expectedMessage) {
    try {
      SourceMapping.apply(source, spec);
      Assert.fail("expected: " + expectedMessage);
    } catch (RehearsalException e) {
      assertEquals(expectedMessage, e.getMessage());
    }
  }

  @Test
  public void rejectsExpressionsThatAreNotRowLevelOrNotDeterministic() {
    Dataset<Row> source = source(row("u1", "i1", OK_TS, "1", "1.00", "buy"));
    Map<String, ValueSpec> aggregate = columns();
    aggregate.put("item_id", ValueSpec.expr("max(item)"));
    assertRejected(source, spec(aggregate, Map.of(), Map.of()), ORIGIN + ": events.columns.item_id.expr is not a row-level "
        + "expression: expected an expression without aggregate, window or generator functions, got 'max(item)'. Fix: "
        + "compute one value per source row; users and items columns aggregate with 'aggregate'");

    Map<String, ValueSpec> random = columns();
    random.put("session_id", ValueSpec.expr("CAST(rand() AS STRING)"));
    assertRejected(source, spec(random, Map.of(), Map.of()), ORIGIN + ": events.columns.session_id.expr is not "
        + "deterministic: expected a deterministic expression (imports must be reproducible), got 'CAST(rand() AS STRING)'. "
        + "Fix: remove rand(), uuid(), shuffle() and similar functions");

    Map<String, ValueSpec> typed = columns();
    typed.put("event_ts", ValueSpec.expr("to_timestamp(ts)").withFormat("yyyy-MM-dd"));
    assertRejected(source, spec(typed, Map.of(), Map.of()), ORIGIN + ": events.columns.event_ts.format applies only to "
        + "string values: expected a string value to parse, got a value of type timestamp. Fix: remove the format: the "
        + "value is already typed");

    Map<String, ValueSpec> struct = columns();
    struct.put("country", ValueSpec.expr("struct(user, item)"));
    assertRejected(source, spec(struct, Map.of(), Map.of()), ORIGIN + ": events.columns.country.expr has a type that "
        + "cannot become string: expected a string, number, boolean or date, got struct<user:string,item:string>. Fix: "
        + "convert it with an expr, e.g. CAST(... AS STRING)");
  }

  @Test
  public void rejectsInvalidSpecsBeforeSeeingData() {
    Map<String, ValueSpec> withId = columns();
    withId.put("event_id", ValueSpec.source("user"));
    try {
      spec(withId, Map.of(), Map.of());
      Assert.fail("event_id must not be mappable");
    } catch (RehearsalException e) {
      assertEquals(ORIGIN + ": events.columns.event_id cannot be mapped: expected one of " + MappingSpec.mappableEventColumns()
          + ", got 'event_id'. Fix: remove it: event_id is generated from the source row's content and its occurrence "
          + "number", e.getMessage());
    }
    Map<String, ValueSpec> badConstant = columns();
    badConstant.put("unit_price", ValueSpec.constant("1.999"));
    try {
      spec(badConstant, Map.of(), Map.of());
      Assert.fail("a price constant with three decimals must be rejected");
    } catch (RehearsalException e) {
      assertEquals(ORIGIN + ": events.columns.unit_price.constant is not a valid decimal(12,2) constant: expected a decimal "
          + "number with at most 10 digits before the point and 2 after, got '1.999'. Fix: correct the constant",
          e.getMessage());
    }
    try {
      new MappingSpec(ORIGIN, "UTC", columns(), List.of(new EventTypeRule("true", "purchase")), Map.of(),
          Arrays.asList(new ExclusionRule("missing_stuff", "true")), Map.of(), Map.of());
      Assert.fail("reserved reason names must be rejected");
    } catch (RehearsalException e) {
      assertEquals(ORIGIN + ": exclusions[0].name is reserved: expected a name not starting with 'missing_' or "
          + "'unparseable_' and not 'no_event_type' or 'quantity_sign_mismatch', got 'missing_stuff'. Fix: rename the "
          + "rule; the import counts its own exclusions under these names", e.getMessage());
    }
  }
}
