package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import io.rehearsal.transforms.Columns;
import java.time.LocalDate;
import java.util.Arrays;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Keeps sampled users whole: all their events in the window, plus their events outside it that belong
 * to a session or order that has an event inside it (a session crossing the window end, a return of an
 * in-window order), and every catalog row those events reference.
 */
public final class EntityClosure {

  private EntityClosure() {}

  public static Dataset<Row> events(Dataset<Row> events, Dataset<Row> sampledUsers, LocalDate start, LocalDate end) {
    Dataset<Row> ids = sampledUsers.select("user_id");
    Dataset<Row> userEvents = events.join(ids, Columns.using("user_id"), "left_semi");
    Dataset<Row> inWindow = userEvents.where(UserProfiles.inWindow(start, end));
    Dataset<Row> sessions = inWindow.where(col("session_id").isNotNull())
        .select("user_id", "session_id").distinct().withColumn("_in_session", lit(true));
    Dataset<Row> orders = inWindow.where(col("order_id").isNotNull())
        .select("user_id", "order_id").distinct().withColumn("_in_order", lit(true));
    return userEvents
        .join(sessions, Columns.using("user_id", "session_id"), "left")
        .join(orders, Columns.using("user_id", "order_id"), "left")
        .where(UserProfiles.inWindow(start, end).or(col("_in_session").isNotNull()).or(col("_in_order").isNotNull()))
        .select(events.columns()[0], Arrays.copyOfRange(events.columns(), 1, events.columns().length));
  }

  public static Dataset<Row> users(Dataset<Row> users, Dataset<Row> sampledUsers) {
    return users.join(sampledUsers.select("user_id", "inclusion_probability"), "user_id");
  }

  /**
   * The references (rows with an item_id, e.g. per snapshot) whose item is missing from the catalog:
   * reported, not hidden.
   */
  public static Dataset<Row> danglingItems(Dataset<Row> items, Dataset<Row> references) {
    return references.join(items.select("item_id"), Columns.using("item_id"), "left_anti");
  }
}
