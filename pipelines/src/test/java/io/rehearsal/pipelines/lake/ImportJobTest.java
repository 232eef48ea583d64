package io.rehearsal.pipelines.lake;

import static org.junit.Assert.assertEquals;
import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.FileUtils;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;
import org.junit.Assert;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/** The UCI Online Retail sample through conf/mappings/online-retail.yaml; expected counts computed independently from the CSV. */
public class ImportJobTest extends SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static Path repoRoot() {
    String root = System.getProperty("rehearsal.repo.root");
    Assert.assertTrue("system property rehearsal.repo.root must be set (surefire sets it)", root != null);
    return Path.of(root);
  }

  private static Path mapping() {
    return repoRoot().resolve("conf/mappings/online-retail.yaml");
  }

  /** The sample imported once for the class and only read afterwards; the rerun imports again into a copy. */
  private static Path imported;
  private static ImportResult firstImport;

  private ImportResult firstImport() throws IOException {
    if (firstImport == null) {
      imported = CLASS_TEMP.newFolder("import-test").toPath().resolve("online-retail");
      firstImport = importTo(imported.toString(), "import-test-1");
    }
    return firstImport;
  }

  private ImportResult importTo(String out, String runId) {
    return new ImportJob().spark(spark()).mapping(mapping()).out(out).runId(runId).progress(Progress.to(System.out))
        .execute();
  }

  private Dataset<Row> table(ImportResult result, String name) {
    return spark().read().format("delta").load(result.tables().get(name).path());
  }

  private Row event(Dataset<Row> events, String orderId, String itemId) {
    List<Row> rows = events.filter(events.col("order_id").equalTo(orderId).and(events.col("item_id").equalTo(itemId)))
        .collectAsList();
    assertEquals("events of order " + orderId + " item " + itemId, 1, rows.size());
    return rows.get(0);
  }

  private static Instant instant(Row row, String column) {
    return ((Timestamp) row.get(row.fieldIndex(column))).toInstant();
  }

  @Test
  public void importsTheUciSampleWithExactCounts() throws Exception {
    Assert.assertTrue("the UCI sample ships in the repository", Files.isRegularFile(
        repoRoot().resolve("datasets/online-retail-sample/online_retail_sample.csv")));
    ImportResult result = firstImport();

    assertEquals(20_000, result.rowsRead());
    assertEquals(14_853, result.rowsKept());
    Map<String, Long> excluded = new LinkedHashMap<>();
    excluded.put("missing_user_id", 5_078L);
    excluded.put("non_product_stock_code", 68L);
    excluded.put("non_positive_price", 1L);
    assertEquals(excluded, result.rowsExcluded());
    assertEquals(new ArrayList<>(excluded.keySet()), new ArrayList<>(result.rowsExcluded().keySet()));
    assertEquals(result.rowsRead(), result.rowsKept() + result.rowsExcludedTotal());
    Map<String, Long> byType = new LinkedHashMap<>();
    byType.put("view", 0L);
    byType.put("click", 0L);
    byType.put("add_to_cart", 0L);
    byType.put("purchase", 14_523L);
    byType.put("return", 330L);
    assertEquals(byType, result.eventsByType());
    assertEquals(3_040, result.users());
    assertEquals(2_505, result.items());
    assertEquals(Map.of("events", 0L, "users", 0L, "items", 0L), result.deltaVersions());

    Dataset<Row> events = table(result, "events");
    Dataset<Row> users = table(result, "users");
    Dataset<Row> items = table(result, "items");
    assertEquals(names(CanonicalTables.EVENTS_SCHEMA.fields()), names(events.schema().fields()));
    assertEquals(names(CanonicalTables.USERS_SCHEMA.fields()), names(users.schema().fields()));
    assertEquals(names(CanonicalTables.ITEMS_SCHEMA.fields()), names(items.schema().fields()));
    assertEquals(14_853, events.count());
    // 7 pairs of fully identical kept lines still get 14 distinct ids.
    assertEquals(14_853, events.select("event_id").distinct().count());
    assertEquals(0, events.filter("quantity <= 0").count());
    assertEquals(0, events.join(items, events.col("item_id").equalTo(items.col("item_id")), "left_anti").count());
    assertEquals(0, events.join(users, events.col("user_id").equalTo(users.col("user_id")), "left_anti").count());

    // Winter (GMT = UTC) and summer (BST = UTC+1) rows.
    assertEquals(Instant.parse("2010-12-20T14:33:00Z"), instant(event(events, "539610", "90214D"), "event_ts"));
    assertEquals(Instant.parse("2011-07-10T15:29:00Z"), instant(event(events, "559552", "22068"), "event_ts"));

    // A cancellation line (Quantity -9 in the CSV) is a positive-quantity return.
    Row cancelled = event(events, "C567690", "20725");
    assertEquals("return", cancelled.getAs("event_type"));
    assertEquals(9, (int) cancelled.getAs("quantity"));
    assertEquals("15810", cancelled.getAs("user_id"));
    assertEquals(new BigDecimal("1.65"), cancelled.getAs("unit_price"));
    assertEquals("C567690", cancelled.getAs("session_id"));
    assertEquals("United Kingdom", cancelled.getAs("country"));
    assertEquals(Instant.parse("2011-09-21T16:01:00Z"), instant(cancelled, "event_ts"));

    Row user = users.filter("user_id = '16014'").first();
    assertEquals(Instant.parse("2011-02-21T17:42:00Z"), instant(user, "signup_ts"));
    assertEquals("United Kingdom", user.getAs("country"));
    assertEquals("Australia", users.filter("user_id = '12431'").first().getAs("country"));
    // One line each from Spain and Cyprus: the tie goes to the smaller value.
    assertEquals("Cyprus", users.filter("user_id = '12455'").first().getAs("country"));

    // 85123A and 85123a are one item; its latest purchase line is priced 2.95.
    Row item = items.filter("item_id = '85123A'").first();
    assertEquals(new BigDecimal("2.95"), item.getAs("price"));
    assertEquals("WHITE HANGING HEART T-LIGHT HOLDER", item.getAs("description"));
    assertEquals("candles_lighting", item.getAs("category"));
    assertEquals(59, events.filter("item_id = '85123A'").count());
    assertEquals("kitchen_dining", items.filter("item_id = '22423'").first().getAs("category"));
    assertEquals(0, items.filter("category IS NULL").count());

    for (String name : CanonicalTables.ALL) {
      String metadata = DeltaTable.forPath(spark(), result.tables().get(name).path()).history(1)
          .select("userMetadata").first().getString(0);
      assertEquals("import-test-1", metadata);
    }
  }

  @Test
  public void rerunGivesIdenticalContentHashes() throws IOException {
    ImportResult first = firstImport();
    Path out = temp.getRoot().toPath().resolve("online-retail");
    FileUtils.copyDirectory(imported.toFile(), out.toFile());
    // Another shuffle partitioning must not change a single value.
    String shared = spark().conf().get("spark.sql.shuffle.partitions");
    spark().conf().set("spark.sql.shuffle.partitions", "7");
    ImportResult second;
    try {
      second = importTo(out.toString(), "import-rerun-2");
    } finally {
      spark().conf().set("spark.sql.shuffle.partitions", shared);
    }
    assertEquals(first.contentHashes(), second.contentHashes());
    assertEquals(Map.of("events", 0L, "users", 0L, "items", 0L), first.deltaVersions());
    assertEquals(Map.of("events", 1L, "users", 1L, "items", 1L), second.deltaVersions());
    assertEquals(first.rowsExcluded(), second.rowsExcluded());
    for (String name : CanonicalTables.ALL) {
      assertEquals(64, first.contentHashes().get(name).length());
    }
  }

  private static List<String> names(StructField[] fields) {
    List<String> out = new ArrayList<>();
    for (StructField f : fields) {
      out.add(f.name() + ":" + f.dataType().simpleString());
    }
    return out;
  }
}
