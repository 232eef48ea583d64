package io.rehearsal.pipelines.init;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import io.rehearsal.pipelines.mapping.MappingLoader;
import io.rehearsal.transforms.RehearsalException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Assert;
import org.junit.Test;

/**
 * The guesses of a scaffolded mapping, on samples written here by hand: the first rows of the shipped UCI Online
 * Retail CSV (its header and values copied from the file), a clickstream export and timestamp variants. The expected
 * bindings are what a person reading those columns would map (conf/mappings/online-retail.yaml was written by hand).
 */
public class MappingScaffoldTest {

  private static final List<String> RETAIL_HEADER = List.of("InvoiceNo", "StockCode", "Description", "Quantity",
      "InvoiceDate", "UnitPrice", "CustomerID", "Country");

  private static SourceSample csv(List<String> header, List<List<String>> rows) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("header", "true");
    options.put("inferSchema", "false");
    options.put("sep", ",");
    return new SourceSample("data/retail.csv", "csv", options,
        header.stream().map(h -> new SourceSample.Column(h, "string")).toList(), rows);
  }

  private static SourceSample retail() {
    return csv(RETAIL_HEADER, List.of(
        Arrays.asList("546306", "21733", "RED HANGING HEART T-LIGHT HOLDER", "2", "2011-03-10 16:16:00", "2.95", "NA", "United Kingdom"),
        Arrays.asList("557055", "23203", "JUMBO BAG DOILEY PATTERNS", "20", "2011-06-16 14:45:00", "2.08", "12621", "Germany"),
        Arrays.asList("572516", "22336", "damaged", "-71", "2011-10-24 14:45:00", "0", "NA", "United Kingdom"),
        Arrays.asList("C556484", "21670", "BLUE SPOT CERAMIC DRAWER KNOB", "-6", "2011-06-12 13:17:00", "1.25", "16938",
            "United Kingdom")));
  }

  private static Map<String, String> bindings(MappingScaffold.Result r) {
    Map<String, String> out = new LinkedHashMap<>();
    r.bindings().forEach(b -> out.put(b.column(), b.value()));
    return out;
  }

  @Test
  public void theOnlineRetailColumnsAreBoundAsAPersonWouldBindThem() throws Exception {
    MappingScaffold.Result r = MappingScaffold.of("retail", "../data/retail.csv", retail());
    Map<String, String> b = bindings(r);
    assertEquals("{ source: \"CustomerID\" }", b.get("events.user_id"));
    assertEquals("{ source: \"StockCode\" }", b.get("events.item_id"));
    assertEquals("{ source: \"InvoiceDate\", format: \"yyyy-MM-dd HH:mm:ss\" }", b.get("events.event_ts"));
    assertEquals("{ source: \"InvoiceNo\" }", b.get("events.order_id"));
    assertEquals("one invoice stands for the session", "{ source: \"InvoiceNo\" }", b.get("events.session_id"));
    assertEquals("{ source: \"Quantity\" }", b.get("events.quantity"));
    assertEquals("{ source: \"UnitPrice\" }", b.get("events.unit_price"));
    assertEquals("{ source: \"Country\" }", b.get("events.country"));
    assertEquals("purchase; return when the quantity is negative", b.get("events.event_type"));
    assertEquals("Description", b.get("items.description"));
    assertEquals("min event.event_ts", b.get("users.signup_ts"));
    assertEquals(List.of(), r.unused());
    String yaml = r.yaml();
    assertTrue(yaml, yaml.contains("    nullValue: \"NA\"    # guess: 'NA' stands for a missing value in CustomerID\n"));
    assertTrue(yaml, yaml.contains("    - when: \"try_cast(`Quantity` AS INT) < 0\"\n      type: return\n"));
    assertTrue(yaml, yaml.contains("  quantity_sign:\n    purchase: positive\n    return: negative"));
    assertTrue("a price of 0 was sampled", yaml.contains("  - name: non_positive_price\n"
        + "    when: \"try_cast(`UnitPrice` AS DECIMAL(12,2)) <= 0\"\n"));
    assertTrue(yaml, yaml.contains("  path: \"../data/retail.csv\""));
    assertTrue(yaml, yaml.contains("# Source columns no binding reads: none.\n"));
    loads(r);
  }

  @Test
  public void withoutNegativeQuantitiesOrFreeLinesEveryRowIsAPurchaseAndNothingIsExcluded() {
    List<List<String>> rows = retail().rows().stream().filter(r -> !r.get(3).startsWith("-") && !r.get(5).equals("0"))
        .toList();
    MappingScaffold.Result r = MappingScaffold.of("retail", "retail.csv", csv(RETAIL_HEADER, rows));
    assertEquals("purchase", bindings(r).get("events.event_type"));
    assertFalse(r.yaml(), r.yaml().contains("return"));
    assertFalse(r.yaml(), r.yaml().contains("exclusions:"));
  }

  @Test
  public void aClickstreamsActionColumnBecomesEventTypeRulesAndUnknownValuesAreNamed() throws Exception {
    SourceSample sample = new SourceSample("clicks", "parquet", Map.of(), List.of(
        new SourceSample.Column("visitor_id", "string"), new SourceSample.Column("product_sku", "string"),
        new SourceSample.Column("event_time", "timestamp"), new SourceSample.Column("action", "string"),
        new SourceSample.Column("session", "string"), new SourceSample.Column("Brand", "string"),
        new SourceSample.Column("colour", "string")),
        List.of(List.of("v1", "s1", "2025-01-01 10:00:00", "Page View", "a", "acme", "red"),
            List.of("v1", "s2", "2025-01-01 10:01:00", "add to cart", "a", "acme", "red"),
            List.of("v2", "s2", "2025-01-02 09:00:00", "purchase", "b", "zeta", "blue"),
            List.of("v2", "s3", "2025-01-02 09:05:00", "wishlist", "b", "zeta", "blue"),
            List.of("v2", "s3", "2025-01-02 09:06:00", "remove_from_cart", "b", "zeta", "blue")));
    MappingScaffold.Result r = MappingScaffold.of("clicks", "clicks", sample);
    Map<String, String> b = bindings(r);
    assertEquals("{ source: \"visitor_id\" }", b.get("events.user_id"));
    assertEquals("{ source: \"product_sku\" }", b.get("events.item_id"));
    assertEquals("a timestamp is an instant", "{ source: \"event_time\" }", b.get("events.event_ts"));
    assertEquals("{ source: \"session\" }", b.get("events.session_id"));
    assertNull("no order column", b.get("events.order_id"));
    assertEquals("{ constant: 1 }", b.get("events.quantity"));
    assertEquals("Brand", b.get("items.brand"));
    assertEquals(List.of("colour (string)"), r.unused());
    String yaml = r.yaml();
    assertTrue(yaml, yaml.contains("rows with 'remove_from_cart', 'wishlist' match no rule and are excluded as no_event_type"));
    // In funnel order, the values as sampled (lower case, trimmed).
    assertTrue(yaml, yaml.contains("    - when: \"lower(trim(`action`)) IN ('page view')\"\n      type: view\n"
        + "    - when: \"lower(trim(`action`)) IN ('add to cart')\"\n      type: add_to_cart\n"
        + "    - when: \"lower(trim(`action`)) IN ('purchase')\"\n      type: purchase\n"));
    assertFalse("no price: no item price", yaml.contains("price:"));
    assertFalse("not a CSV: no reader options", yaml.contains("options:"));
    loads(r);
  }

  /** The scaffold is a mapping the loader takes (structure, names, value forms; expressions are InitJob's check). */
  private static void loads(MappingScaffold.Result r) throws Exception {
    Path file = Files.createTempFile("scaffold", ".yaml");
    try {
      Files.writeString(file, r.yaml());
      MappingLoader.load(file);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  public void withoutAUserItemOrTimeColumnNothingIsWrittenAndTheColumnsAreNamed() {
    SourceSample sample = csv(List.of("customer", "when"), List.of(List.of("u1", "yesterday")));
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> MappingScaffold.of("x", "x.csv", sample));
    assertEquals("Cannot scaffold a mapping from data/retail.csv: no column looks like the item (product) id for "
        + "events.item_id; its columns are [customer (string), when (string)]. Fix: rename the column (e.g. item_id), or "
        + "write the mapping by hand from docs/import-mapping.md", e.getMessage());
  }

  @Test
  public void epochTextActionCodesAndAColumnNamedEventAreHandled() throws Exception {
    // Epoch seconds as CSV text; an action column of codes no keyword names (not an event type column: every row a
    // purchase); a column named 'event', which hides the mapped event from users' and items' expressions; a value with
    // a backslash and a quote.
    SourceSample sample = csv(List.of("user", "item", "ts", "action", "event", "price", "kind"), List.of(
        List.of("u1", "i1", "1735689600", "1", "x", "2.50", "view"), List.of("u2", "i2", "1735689700", "2", "y", "3.00", "it's\\")));
    MappingScaffold.Result r = MappingScaffold.of("codes", "codes.csv", sample);
    Map<String, String> b = bindings(r);
    assertEquals("{ expr: \"timestamp_seconds(CAST(`ts` AS BIGINT))\" }", b.get("events.event_ts"));
    assertEquals("purchase", b.get("events.event_type"));
    assertTrue(r.yaml(), r.yaml().contains("    price: { aggregate: most_recent, source: \"price\" }"));
    assertTrue(r.yaml(), r.yaml().contains("    signup_ts: { aggregate: min, expr: \"timestamp_seconds(CAST(`ts` AS BIGINT))\" }"));
    assertFalse(r.yaml(), r.yaml().contains("event.event_ts"));
    loads(r);
    // The type column's values, escaped for Spark SQL: a quote and a backslash.
    SourceSample typed = csv(List.of("user", "item", "ts", "event_type"), List.of(
        List.of("u1", "i1", "2025-01-01 10:00:00", "purchase's\\")));
    assertTrue(MappingScaffold.of("t", "t.csv", typed).yaml(), MappingScaffold.of("t", "t.csv", typed).yaml().contains(
        "IN ('purchase\\\\'s\\\\\\\\')"));
  }

  @Test
  public void timestampPatternsAreTheFirstThatParsesEverySampledValue() {
    assertEquals("yyyy-MM-dd HH:mm:ss", MappingScaffold.timestampPattern(List.of("2011-03-10 16:16:00")));
    assertEquals("yyyy-MM-dd'T'HH:mm:ss", MappingScaffold.timestampPattern(List.of("2011-03-10T16:16:00")));
    // 13 cannot be a month: day first.
    assertEquals("d/M/yyyy H:mm", MappingScaffold.timestampPattern(Arrays.asList("13/1/2011 8:26", null, "1/2/2011 10:00")));
    assertEquals("M/d/yyyy H:mm", MappingScaffold.timestampPattern(List.of("12/13/2010 8:26", "1/2/2011 10:00")));
    assertEquals("yyyy-MM-dd", MappingScaffold.timestampPattern(List.of("2011-03-10", "NA")));
    assertNull(MappingScaffold.timestampPattern(List.of("yesterday")));
    assertNull("2011-02-30 does not exist", MappingScaffold.timestampPattern(List.of("2011-02-30 10:00:00")));
  }

  @Test
  public void anAmbiguousDayAndMonthIsSaidAndEpochMillisAreConverted() throws Exception {
    SourceSample ambiguous = csv(List.of("customer", "sku", "date", "qty"), List.of(List.of("u", "i", "1/2/2011 8:26", "1")));
    assertTrue(MappingScaffold.of("a", "a.csv", ambiguous).yaml().contains("(day and month are both 12 or less in every "
        + "sampled value: check that the day comes where it says)"));
    SourceSample epoch = new SourceSample("e", "parquet", Map.of(), List.of(new SourceSample.Column("user_id", "bigint"),
        new SourceSample.Column("item_id", "double"), new SourceSample.Column("ts", "bigint")),
        List.of(List.of("7", "12.0", "1735689600000")));
    Map<String, String> b = bindings(MappingScaffold.of("e", "e", epoch));
    assertEquals("{ expr: \"timestamp_millis(`ts`)\" }", b.get("events.event_ts"));
    assertEquals("{ source: \"user_id\" }", b.get("events.user_id"));
    assertEquals("{ expr: \"CAST(CAST(`item_id` AS BIGINT) AS STRING)\" }", b.get("events.item_id"));
    loads(MappingScaffold.of("e", "e", epoch));
  }
}
