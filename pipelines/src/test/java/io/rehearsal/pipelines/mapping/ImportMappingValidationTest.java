package io.rehearsal.pipelines.mapping;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.rehearsal.pipelines.lake.ImportJob;
import io.rehearsal.pipelines.lake.ImportResult;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;

/**
 * Bad mappings fail with an exact message naming the file and the field, and leave {@code --out}
 * untouched. Each case breaks one thing in an otherwise valid mapping of a five-line CSV.
 */
public class ImportMappingValidationTest extends SparkTestBase {

  private static final String CSV = String.join("\n",
      "order,sku,qty,ts,price,customer,country",
      "1001,A1,2,2011-01-05 10:00:00,1.50,u1,UK",
      "1001,B2,1,2011-01-05 10:00:00,3.00,u1,UK",
      "C1002,A1,-1,2011-07-05 10:00:00,1.50,u2,FR",
      "1003,POST,1,2011-07-06 11:00:00,5.00,u2,FR",
      "1004,A1,1,2011-07-06 11:00:00,1.50,,FR",
      "");

  private static final String MAPPING = String.join("\n",
      "name: tiny",
      "source:",
      "  path: tiny.csv",
      "  format: csv",
      "  options: {header: true}",
      "time_zone: Europe/London",
      "events:",
      "  columns:",
      "    user_id: {source: customer}",
      "    item_id: {source: sku}",
      "    event_ts: {source: ts, format: \"yyyy-MM-dd HH:mm:ss\"}",
      "    order_id: {source: order}",
      "    quantity: {source: qty}",
      "    unit_price: {source: price}",
      "    country: {source: country}",
      "  event_types:",
      "    - {when: \"startswith(order, 'C')\", type: return}",
      "    - {when: \"true\", type: purchase}",
      "  quantity_sign: {return: negative}",
      "exclusions:",
      "  - {name: postage, when: \"sku = 'POST'\"}",
      "items:",
      "  columns:",
      "    price: {aggregate: most_recent, expr: event.unit_price}",
      "users:",
      "  columns:",
      "    signup_ts: {aggregate: min, expr: event.event_ts}",
      "");

  private Path dir;
  private Path mapping;
  private Path out;

  @Before
  public void writeSource() throws IOException {
    dir = temp.newFolder("mappings").toPath();
    Files.writeString(dir.resolve("tiny.csv"), CSV);
    mapping = dir.resolve("tiny.yaml");
    out = temp.getRoot().toPath().resolve("out");
  }

  private ImportResult importWith(String yaml) throws IOException {
    Files.writeString(mapping, yaml);
    return new ImportJob().spark(spark()).mapping(mapping).out(out.toString()).runId("validation-test").execute();
  }

  /** Imports the mapping with {@code from} replaced by {@code to}; expects the exact message and nothing written. */
  private void assertRejected(String from, String to, String expectedMessage) throws IOException {
    Assert.assertTrue("test setup: '" + from + "' must occur in the mapping", MAPPING.contains(from));
    try {
      importWith(MAPPING.replace(from, to));
      Assert.fail("expected the mapping to be rejected: " + expectedMessage);
    } catch (RehearsalException e) {
      assertEquals(expectedMessage, e.getMessage());
      assertEquals(RehearsalException.Kind.INVALID_INPUT, e.kind());
    }
    assertFalse("nothing may be written to " + out, Files.exists(out));
  }

  private String origin() {
    return "Mapping " + mapping;
  }

  @Test
  public void theUnbrokenMappingImports() throws IOException {
    ImportResult result = importWith(MAPPING);
    assertEquals(5, result.rowsRead());
    assertEquals(3, result.rowsKept());
    assertEquals(Map.of("missing_user_id", 1L, "postage", 1L), result.rowsExcluded());
    assertEquals(1L, (long) result.eventsByType().get("return"));
    assertEquals(2L, (long) result.eventsByType().get("purchase"));
    assertEquals(2, result.users());
    assertEquals(2, result.items());
  }

  @Test
  public void unknownSourceColumn() throws IOException {
    assertRejected("{source: customer}", "{source: Customer}", origin()
        + ": events.columns.user_id.source refers to an unknown source column: expected one of [order, sku, qty, ts, "
        + "price, customer, country], got 'Customer'. Fix: use one of the source's column names (they are case-sensitive)");
  }

  @Test
  public void unknownColumnInsideAnExpression() throws IOException {
    assertRejected("item_id: {source: sku}", "item_id: {expr: \"upper(skew)\"}", origin()
        + ": events.columns.item_id.expr cannot be evaluated: expected an expression over the source columns [order, sku, "
        + "qty, ts, price, customer, country], got 'upper(skew)' ([UNRESOLVED_COLUMN.WITH_SUGGESTION] A column or "
        + "function parameter with name `skew` cannot be resolved. Did you mean one of the following? [`sku`, `ts`, "
        + "`qty`, `order`, `price`].; line 1 pos 6). Fix: refer only to existing columns and Spark SQL functions");
  }

  @Test
  public void eventTypeThatIsNotCanonical() throws IOException {
    assertRejected("type: return}", "type: refund}", origin()
        + ": events.event_types[0].type is not a canonical event type: expected one of [view, click, add_to_cart, "
        + "purchase, return], got 'refund'. Fix: map the source's notion onto one of the canonical event types");
  }

  @Test
  public void unknownTimeZone() throws IOException {
    assertRejected("time_zone: Europe/London", "time_zone: Europe/Lodnon", origin()
        + ": time_zone is not a known time zone: expected a time zone id such as 'Europe/London' or 'UTC', got "
        + "'Europe/Lodnon'. Fix: use a region id from the IANA time zone database "
        + "(https://en.wikipedia.org/wiki/List_of_tz_database_time_zones)");
  }

  @Test
  public void missingTimeZone() throws IOException {
    assertRejected("time_zone: Europe/London\n", "", origin()
        + ": time_zone is missing: expected a time zone id such as 'Europe/London' or 'UTC', got nothing. Fix: add "
        + "time_zone at the top level: wall-clock timestamps in the source are read in that zone");
  }

  @Test
  public void missingRequiredEventColumn() throws IOException {
    assertRejected("    item_id: {source: sku}\n", "", origin()
        + ": events.columns.item_id is missing: expected a source, expr or constant for the required canonical column "
        + "item_id, got nothing. Fix: add events.columns.item_id");
  }

  @Test
  public void missingSourcePath() throws IOException {
    assertRejected("  path: tiny.csv\n", "", origin()
        + ": source.path is missing: expected a text value, got nothing. Fix: add source.path");
  }

  @Test
  public void whenExpressionThatDoesNotParse() throws IOException {
    assertRejected("when: \"sku = 'POST'\"", "when: \"sku IN ('POST'\"", origin()
        + ": exclusions[0].when is not a valid Spark SQL expression: expected an expression over the source columns "
        + "[order, sku, qty, ts, price, customer, country], got 'sku IN ('POST'' ([PARSE_SYNTAX_ERROR] Syntax error at "
        + "or near '('.; line 1 pos 7). Fix: correct the SQL syntax");
  }

  @Test
  public void whenExpressionThatIsNotACondition() throws IOException {
    assertRejected("when: \"sku = 'POST'\"", "when: \"upper(sku)\"", origin()
        + ": exclusions[0].when is not a condition: expected a boolean expression, got type string from 'upper(sku)'. "
        + "Fix: compare the value, e.g. Quantity < 0");
  }

  @Test
  public void datetimeFormatWithAZone() throws IOException {
    assertRejected("format: \"yyyy-MM-dd HH:mm:ss\"", "format: \"yyyy-MM-dd HH:mm:ss VV\"", origin()
        + ": events.columns.event_ts.format is not a valid datetime pattern (letter 'V' is a time zone id; the zone "
        + "comes from time_zone): expected a Spark datetime pattern without zone or offset letters, such as "
        + "'yyyy-MM-dd HH:mm:ss', got 'yyyy-MM-dd HH:mm:ss VV'. Fix: write a pattern as in "
        + "https://spark.apache.org/docs/latest/sql-ref-datetime-pattern.html");
  }

  @Test
  public void unknownFieldInAColumn() throws IOException {
    assertRejected("quantity: {source: qty}", "quantity: {source: qty, sauce: qty}", origin()
        + ": events.columns.quantity has an unknown field: expected one of [source, expr, constant, format], got 'sauce'. "
        + "Fix: remove it or correct its spelling");
  }

  @Test
  public void misspeltTopLevelField() throws IOException {
    assertRejected("exclusions:", "exclusion:", origin()
        + ": the top level has an unknown field: expected one of [name, description, source, time_zone, events, "
        + "exclusions, items, users], got 'exclusion'. Fix: remove it or correct its spelling");
  }

  @Test
  public void duplicateExclusionName() throws IOException {
    assertRejected("  - {name: postage, when: \"sku = 'POST'\"}",
        "  - {name: postage, when: \"sku = 'POST'\"}\n  - {name: postage, when: \"qty > 100\"}", origin()
        + ": exclusions[1].name repeats an earlier rule name: expected a name unique among exclusions, got 'postage'. "
        + "Fix: rename one of the rules or merge their conditions with OR");
  }

  @Test
  public void derivedColumnWithoutAggregate() throws IOException {
    assertRejected("{aggregate: most_recent, expr: event.unit_price}", "{expr: event.unit_price}", origin()
        + ": items.columns.price.aggregate is missing: expected one of [most_frequent, most_recent, earliest, min, max, "
        + "median], got nothing. Fix: say how the values of one item_id's events combine, e.g. aggregate: most_frequent");
  }

  @Test
  public void sourceThatDoesNotExist() throws IOException {
    assertRejected("path: tiny.csv", "path: tiny-missing.csv", "Cannot import mapping " + mapping + ": the source "
        + dir.resolve("tiny-missing.csv") + " does not exist. Fix: correct source.path in the mapping (a relative path "
        + "resolves against " + dir + ") or pass --source");
  }

  @Test
  public void everyRowExcludedWritesNothing() throws IOException {
    assertRejected("when: \"sku = 'POST'\"", "when: \"true\"", "Cannot import mapping " + mapping
        + ": all 5 source rows were excluded (missing_user_id: 1, postage: 4). Fix: check the column mapping and the "
        + "exclusion rules; nothing was written");
  }
}
