package io.rehearsal.transforms.schema;

import java.util.List;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The canonical retail tables every Rehearsal step reads (see docs/ARCHITECTURE.md). Money is
 * DECIMAL(12,2) so that sums are exact and therefore identical on every partitioning.
 */
public final class CanonicalTables {

  public static final DecimalType MONEY = DataTypes.createDecimalType(12, 2);

  public static final String EVENTS = "events";
  public static final String USERS = "users";
  public static final String ITEMS = "items";
  public static final List<String> ALL = List.of(EVENTS, USERS, ITEMS);

  /** The closed set of event types, in funnel order. */
  public static final List<String> EVENT_TYPES = List.of("view", "click", "add_to_cart", "purchase", "return");

  public static final StructType EVENTS_SCHEMA = new StructType(new StructField[] {
      field("event_id", DataTypes.StringType, false),
      field("user_id", DataTypes.StringType, false),
      field("item_id", DataTypes.StringType, false),
      field("event_type", DataTypes.StringType, false),
      field("event_ts", DataTypes.TimestampType, false),
      field("session_id", DataTypes.StringType, true),
      field("order_id", DataTypes.StringType, true),
      field("quantity", DataTypes.IntegerType, false),
      field("unit_price", MONEY, true),
      field("country", DataTypes.StringType, true),
      field("device", DataTypes.StringType, true),
      field("ingested_at", DataTypes.TimestampType, true),
  });

  public static final StructType USERS_SCHEMA = new StructType(new StructField[] {
      field("user_id", DataTypes.StringType, false),
      field("signup_ts", DataTypes.TimestampType, true),
      field("loyalty_tier", DataTypes.StringType, true),
      field("country", DataTypes.StringType, true),
      field("device", DataTypes.StringType, true),
      field("email", DataTypes.StringType, true),
      field("phone", DataTypes.StringType, true),
      field("full_name", DataTypes.StringType, true),
  });

  public static final StructType ITEMS_SCHEMA = new StructType(new StructField[] {
      field("item_id", DataTypes.StringType, false),
      field("category", DataTypes.StringType, true),
      field("brand", DataTypes.StringType, true),
      field("price", MONEY, true),
      field("launch_ts", DataTypes.TimestampType, true),
      field("description", DataTypes.StringType, true),
  });

  private CanonicalTables() {}

  public static StructType schemaOf(String table) {
    switch (table) {
      case EVENTS:
        return EVENTS_SCHEMA;
      case USERS:
        return USERS_SCHEMA;
      case ITEMS:
        return ITEMS_SCHEMA;
      default:
        throw new IllegalArgumentException("Unknown canonical table '" + table + "', expected one of " + ALL);
    }
  }

  private static StructField field(String name, DataType type, boolean nullable) {
    return DataTypes.createStructField(name, type, nullable);
  }
}
