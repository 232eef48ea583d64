package io.rehearsal.pipelines.testing;

import io.rehearsal.transforms.schema.CanonicalTables;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A small hand-made lake in the canonical schema whose every property is known:
 * 30 users (u01..u30; tier by i % 4: none, silver, gold, platinum; u21..u30 signed up 2025-02-01),
 * 10 items (i01..i10), January 2025 sessions, plus edge cases the snapshot must handle:
 * <ul>
 *   <li>u01..u10 each have a purchase on 2024-12-15 (before a January window);</li>
 *   <li>u05's session s-u05-x crosses midnight into 2025-02-01;</li>
 *   <li>u04 returns its January order o-u04-0 on 2025-02-03;</li>
 *   <li>u07 viewed item i99, which the catalog lacks;</li>
 *   <li>u99 viewed i02 but has no row in the users table.</li>
 * </ul>
 */
public final class TinyLake {

  public static final String WINDOW_START = "2025-01-01";
  public static final String WINDOW_END = "2025-02-01";
  public static final int USERS = 30;
  private static final String[] TIERS = {"none", "silver", "gold", "platinum"};

  private TinyLake() {}

  public static void write(SparkSession spark, Path dir) {
    spark.createDataFrame(users(), CanonicalTables.USERS_SCHEMA).write().format("delta").mode("overwrite").save(dir.resolve("users").toString());
    spark.createDataFrame(items(), CanonicalTables.ITEMS_SCHEMA).write().format("delta").mode("overwrite").save(dir.resolve("items").toString());
    spark.createDataFrame(events(), CanonicalTables.EVENTS_SCHEMA).write().format("delta").mode("overwrite").save(dir.resolve("events").toString());
  }

  public static String user(int i) {
    return String.format("u%02d", i);
  }

  public static String tier(int i) {
    return TIERS[i % 4];
  }

  static List<Row> users() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= USERS; i++) {
      Timestamp signup = ts(i <= 20 ? "2024-06-01T00:00:00Z" : "2025-02-01T00:00:00Z");
      rows.add(RowFactory.create(user(i), signup, tier(i), i % 3 == 0 ? "DE" : "UK", "web",
          user(i) + "@example.com", "+44 20 7946 " + String.format("%04d", i), "Person " + i));
    }
    return rows;
  }

  static List<Row> items() {
    List<Row> rows = new ArrayList<>();
    for (int k = 1; k <= 10; k++) {
      rows.add(RowFactory.create(String.format("i%02d", k), k <= 5 ? "c1" : "c2", "brand" + (k % 3),
          new BigDecimal(10 + k).setScale(2), ts("2024-01-01T00:00:00Z"), "Item " + k));
    }
    return rows;
  }

  static List<Row> events() {
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i <= USERS; i++) {
      for (int s = 0; s <= i % 3; s++) {
        String session = "s-" + user(i) + "-" + s;
        int day = 1 + (i * 3 + s * 7) % 28;
        String item = String.format("i%02d", 1 + (i + s) % 10);
        String at = String.format("2025-01-%02dT10:00:00Z", day);
        rows.add(event(user(i) + "-" + s + "-v", i, item, "view", at, session, null));
        rows.add(event(user(i) + "-" + s + "-c", i, item, "click", at.replace("10:00", "10:01"), session, null));
        if ((i + s) % 2 == 0) {
          rows.add(event(user(i) + "-" + s + "-p", i, item, "purchase", at.replace("10:00", "10:05"), session, "o-" + user(i) + "-" + s));
        }
      }
      if (i <= 10) {
        rows.add(event(user(i) + "-prior", i, "i01", "purchase", "2024-12-15T12:00:00Z", "s-" + user(i) + "-prior", "o-" + user(i) + "-prior"));
      }
    }
    rows.add(event("u05-x-1", 5, "i03", "view", "2025-01-31T23:50:00Z", "s-u05-x", null));
    rows.add(event("u05-x-2", 5, "i03", "purchase", "2025-02-01T00:10:00Z", "s-u05-x", "o-u05-x"));
    rows.add(event("u04-ret", 4, "i05", "return", "2025-02-03T09:00:00Z", "s-u04-ret", "o-u04-0"));
    rows.add(event("u07-ghost", 7, "i99", "view", "2025-01-20T08:00:00Z", "s-u07-ghost", null));
    rows.add(event("u08-feb", 8, "i02", "view", "2025-02-10T08:00:00Z", "s-u08-feb", null));
    rows.add(RowFactory.create("e-u99-orphan", "u99", "i02", "view", ts("2025-01-15T08:00:00Z"), "s-u99", null, 1,
        new BigDecimal("12.00"), "UK", "web", ts("2025-01-15T08:01:00Z")));
    return rows;
  }

  private static Row event(String id, int user, String item, String type, String at, String session, String order) {
    BigDecimal price = item.equals("i99") ? new BigDecimal("99.00") : new BigDecimal(10 + Integer.parseInt(item.substring(1))).setScale(2);
    Timestamp ts = ts(at);
    return RowFactory.create("e-" + id, user(user), item, type, ts, session, order, 1, price,
        user % 3 == 0 ? "DE" : "UK", "web", new Timestamp(ts.getTime() + 60_000));
  }

  private static Timestamp ts(String iso) {
    return Timestamp.from(Instant.parse(iso));
  }
}
