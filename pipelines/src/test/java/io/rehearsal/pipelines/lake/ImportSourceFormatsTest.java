package io.rehearsal.pipelines.lake;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.Before;
import org.junit.Test;

/** Typed Parquet and Delta sources (not only CSV) map through the same declarative format. */
public class ImportSourceFormatsTest extends SparkTestBase {

  private static final String ROWS = String.join(",\n",
      "(101L, 'sku-1', TIMESTAMP '2011-06-01 10:00:00', TIMESTAMP_NTZ '2011-06-01 10:00:00', 'view', 1, 2.5D, 'DE')",
      "(101L, 'sku-1', TIMESTAMP '2011-06-01 10:05:00', TIMESTAMP_NTZ '2011-06-01 10:05:00', 'cart', 1, 2.5D, 'DE')",
      "(101L, 'sku-1', TIMESTAMP '2011-06-01 10:10:00', TIMESTAMP_NTZ '2011-06-01 10:10:00', 'buy', 2, 2.5D, 'DE')",
      "(102L, 'sku-2', TIMESTAMP '2011-06-02 09:00:00', TIMESTAMP_NTZ '2011-06-02 09:00:00', 'buy', 1, 10.0D, 'FR')",
      "(102L, 'sku-2', TIMESTAMP '2011-06-03 09:00:00', TIMESTAMP_NTZ '2011-06-03 09:00:00', 'refund', 1, 10.0D, 'FR')",
      "(103L, 'sku-2', TIMESTAMP '2011-06-03 09:30:00', TIMESTAMP_NTZ '2011-06-03 09:30:00', 'wishlist', 1, 10.0D, 'FR')");

  private static String mapping(String path, String format, String extraSource) {
    return String.join("\n",
        "name: typed-events",
        "source:",
        "  path: " + path,
        "  format: " + format,
        extraSource,
        "time_zone: America/New_York",
        "events:",
        "  columns:",
        "    user_id: {source: customer}",
        "    item_id: {source: sku}",
        "    event_ts: {source: at}",
        "    quantity: {source: qty}",
        "    unit_price: {source: price}",
        "    country: {source: country}",
        "    device: {constant: web}",
        "    ingested_at: {source: local}",
        "  event_types:",
        "    - {when: \"kind = 'view'\", type: view}",
        "    - {when: \"kind = 'cart'\", type: add_to_cart}",
        "    - {when: \"kind = 'buy'\", type: purchase}",
        "    - {when: \"kind = 'refund'\", type: return}",
        "items:",
        "  columns:",
        "    price: {aggregate: median, expr: event.unit_price}",
        "    category: {constant: unknown}",
        "users:",
        "  columns:",
        "    signup_ts: {aggregate: earliest, expr: event.event_ts}",
        "    device: {aggregate: most_frequent, expr: event.device}",
        "");
  }

  private Path dir;

  @Before
  public void createDirs() throws IOException {
    dir = temp.newFolder("typed").toPath();
  }

  private Dataset<Row> sourceRows() {
    return spark().sql("SELECT * FROM VALUES " + ROWS + " AS t(customer, sku, at, local, kind, qty, price, country)");
  }

  private ImportResult importWith(String yaml, String out, String sourceOverride) throws IOException {
    Path file = dir.resolve("typed.yaml");
    Files.writeString(file, yaml);
    return new ImportJob().spark(spark()).mapping(file).out(out).runId("formats-test").source(sourceOverride).execute();
  }

  private static Map<String, Long> byType(long view, long click, long cart, long purchase, long returns) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("view", view);
    m.put("click", click);
    m.put("add_to_cart", cart);
    m.put("purchase", purchase);
    m.put("return", returns);
    return m;
  }

  @Test
  public void parquetSourceWithTypedColumns() throws IOException {
    sourceRows().write().parquet(dir.resolve("data/events.parquet").toString());
    String out = temp.getRoot().toPath().resolve("out").toString();

    ImportResult result = importWith(mapping("data/events.parquet", "parquet", ""), out, null);

    assertEquals(dir.resolve("data/events.parquet").toString(), result.sourcePath());
    assertEquals("parquet", result.sourceFormat());
    assertEquals(6, result.rowsRead());
    assertEquals(5, result.rowsKept());
    assertEquals(Map.of("no_event_type", 1L), result.rowsExcluded());
    assertEquals(byType(1, 0, 1, 2, 1), result.eventsByType());
    assertEquals(2, result.users());
    assertEquals(2, result.items());

    Dataset<Row> events = spark().read().format("delta").load(result.tables().get("events").path());
    Row bought = events.filter("event_type = 'purchase' AND user_id = '101'").first();
    assertEquals("sku-1", bought.getAs("item_id"));
    assertEquals(2, (int) bought.getAs("quantity"));
    assertEquals(new BigDecimal("2.50"), bought.getAs("unit_price"));
    assertEquals("web", bought.getAs("device"));
    assertNull(bought.getAs("order_id"));
    // A TIMESTAMP source column is already an instant; a TIMESTAMP_NTZ one is wall-clock time in time_zone (EDT).
    assertEquals(Instant.parse("2011-06-01T10:10:00Z"), ((Timestamp) bought.getAs("event_ts")).toInstant());
    assertEquals(Instant.parse("2011-06-01T14:10:00Z"), ((Timestamp) bought.getAs("ingested_at")).toInstant());

    Dataset<Row> items = spark().read().format("delta").load(result.tables().get("items").path());
    Row item = items.filter("item_id = 'sku-1'").first();
    assertEquals(new BigDecimal("2.50"), item.getAs("price"));
    assertEquals("unknown", item.getAs("category"));
    Dataset<Row> users = spark().read().format("delta").load(result.tables().get("users").path());
    Row user = users.filter("user_id = '102'").first();
    assertEquals(Instant.parse("2011-06-02T09:00:00Z"), ((Timestamp) user.getAs("signup_ts")).toInstant());
    assertEquals("web", user.getAs("device"));
  }

  @Test
  public void deltaSourceAtAPinnedVersionAndSourceOverride() throws IOException {
    String table = dir.resolve("data/events-delta").toString();
    sourceRows().write().format("delta").save(table);
    spark().sql("SELECT 104L, 'sku-3', TIMESTAMP '2011-06-04 09:00:00', TIMESTAMP_NTZ '2011-06-04 09:00:00', 'buy', 1, "
            + "4.0D, 'NL'").toDF("customer", "sku", "at", "local", "kind", "qty", "price", "country")
        .write().format("delta").mode("append").save(table);

    ImportResult pinned = importWith(mapping("data/events-delta", "delta", "  version: 0"),
        temp.getRoot().toPath().resolve("out-pinned").toString(), null);
    assertEquals(Long.valueOf(0), pinned.sourceVersion());
    assertEquals(6, pinned.rowsRead());
    assertEquals(5, pinned.rowsKept());

    ImportResult latest = importWith(mapping("data/events-delta", "delta", ""),
        temp.getRoot().toPath().resolve("out-latest").toString(), null);
    assertEquals(Long.valueOf(1), latest.sourceVersion());
    assertEquals(7, latest.rowsRead());
    assertEquals(byType(1, 0, 1, 3, 1), latest.eventsByType());
    assertEquals(3, latest.users());

    // --source: the mapping's format and options, another path (resolved against the working directory).
    String copy = temp.getRoot().toPath().resolve("elsewhere/events-delta").toString();
    sourceRows().limit(3).write().format("delta").save(copy);
    ImportResult overridden = importWith(mapping("data/events-delta", "delta", ""),
        temp.getRoot().toPath().resolve("out-override").toString(), copy);
    assertEquals(copy, overridden.sourcePath());
    assertEquals(3, overridden.rowsRead());
  }
}
