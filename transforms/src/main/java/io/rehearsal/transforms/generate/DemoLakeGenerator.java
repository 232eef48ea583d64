package io.rehearsal.transforms.generate;

import static io.rehearsal.transforms.generate.Draws.lookup;
import static org.apache.spark.sql.functions.array_repeat;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.posexplode;
import static org.apache.spark.sql.functions.sequence;
import static org.apache.spark.sql.functions.timestamp_seconds;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.schema.CanonicalTables;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Builds the deterministic synthetic retail lake (events, users, items) described by
 * {@link DemoLakeSpec} and docs/demo-lake.md.
 *
 * <p>Everything is generated inside Spark from {@code spark.range} and {@code explode}: users, then
 * user-days, sessions, viewed items and funnel stages. All randomness is a hash of (seed, purpose, key),
 * so the same seed and scale give the same rows on any partitioning, core count or cluster, and nothing
 * is collected to the driver. Nothing is read or written: callers decide where the tables go.
 *
 * <pre>{@code
 * DemoLake lake = DemoLakeGenerator.builder().seed(42).scale(1).build().generate(spark);
 * }</pre>
 */
public final class DemoLakeGenerator {

  private static final String PROBLEM = "Cannot generate demo lake";
  private static final long SECONDS_PER_DAY = 86_400L;
  /** Users per Spark partition of the event generation: about 100k events per partition. */
  private static final int USERS_PER_EVENT_PARTITION = 1_500;
  /** Rows per partition of the small users and items tables. */
  private static final int ROWS_PER_TABLE_PARTITION = 250_000;
  /** Poisson session counts are truncated here; at the highest activity P(more) is below 1e-5. */
  private static final int MAX_SESSIONS_PER_USER_DAY = 9;

  private final long seed;
  private final int scale;
  private final Integer partitions;

  private DemoLakeGenerator(long seed, int scale, Integer partitions) {
    this.seed = seed;
    this.scale = scale;
    this.partitions = partitions;
  }

  public static Builder builder() {
    return new Builder();
  }

  public long seed() {
    return seed;
  }

  public int scale() {
    return scale;
  }

  public int userCount() {
    return scale * DemoLakeSpec.USERS_PER_SCALE;
  }

  public int itemCount() {
    return scale * DemoLakeSpec.ITEMS_PER_SCALE;
  }

  /** Fluent, validating builder; {@link #build()} checks every argument before any Spark work. */
  public static final class Builder {
    private long seed = 42L;
    private int scale = 1;
    private Integer partitions;

    private Builder() {}

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Size multiplier: scale 1 is 1,000 users, 300 items and roughly 75k events. */
    public Builder scale(int scale) {
      this.scale = scale;
      return this;
    }

    /**
     * Spark partitions of the generated tables (default: from the scale and the session's default
     * parallelism). Only the physical layout changes; the rows are the same for every value.
     */
    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public DemoLakeGenerator build() {
      RehearsalException.check(scale >= 1, PROBLEM, "scale must be >= 1, got " + scale);
      RehearsalException.check(scale <= DemoLakeSpec.MAX_SCALE, PROBLEM,
          "scale must be <= " + DemoLakeSpec.MAX_SCALE + ", got " + scale);
      RehearsalException.check(partitions == null || partitions >= 1, PROBLEM,
          "partitions must be >= 1, got " + partitions);
      return new DemoLakeGenerator(seed, scale, partitions);
    }
  }

  /** Defines the three tables (lazily: nothing runs until they are written or counted). */
  public DemoLake generate(SparkSession spark) {
    RehearsalException.check(spark != null, PROBLEM, "no SparkSession was given");
    Draws draws = new Draws(seed);
    ItemCatalog catalog = new ItemCatalog(seed, itemCount(), draws);
    UserPopulation population = new UserPopulation(draws);

    int tableUserPartitions = partitions != null ? partitions : ceilDiv(userCount(), ROWS_PER_TABLE_PARTITION);
    int tableItemPartitions = partitions != null ? partitions : ceilDiv(itemCount(), ROWS_PER_TABLE_PARTITION);
    int eventPartitions = partitions != null
        ? partitions
        : Math.max(spark.sparkContext().defaultParallelism(), ceilDiv(userCount(), USERS_PER_EVENT_PARTITION));

    Dataset<Row> users = population.attributes(spark.range(0, userCount(), 1, tableUserPartitions).toDF())
        .withColumn("signup_ts", timestamp_seconds(col(UserPopulation.SIGNUP_S)));
    Dataset<Row> items = items(spark.range(0, itemCount(), 1, tableItemPartitions).toDF(), catalog);
    Dataset<Row> events = events(population.attributes(spark.range(0, userCount(), 1, eventPartitions).toDF()), catalog, draws);
    return new DemoLake(
        Conform.to(events, CanonicalTables.EVENTS_SCHEMA),
        Conform.to(users, CanonicalTables.USERS_SCHEMA),
        Conform.to(items, CanonicalTables.ITEMS_SCHEMA));
  }

  private static Dataset<Row> items(Dataset<Row> range, ItemCatalog catalog) {
    Column item = col("id");
    Column category = col("category_index");
    return range
        .withColumn("category_index", catalog.categoryOf(item))
        .withColumn("item_id", catalog.itemId(item))
        .withColumn("category", lookup(DemoLakeSpec.CATEGORIES, category))
        .withColumn("brand", catalog.brand(item, category))
        .withColumn("price", catalog.basePrice(item, category))
        .withColumn("launch_ts", timestamp_seconds(catalog.launchSeconds(item, category)))
        .withColumn("description", catalog.description(col("brand"), item, category));
  }

  private static Dataset<Row> events(Dataset<Row> users, ItemCatalog catalog, Draws draws) {
    long start = DemoLakeSpec.START.getEpochSecond();
    long end = DemoLakeSpec.END.getEpochSecond();
    Column u = col(UserPopulation.U);
    Column day = col("day");
    Column session = col("session");
    Column view = col("view");
    Column stage = col("stage");
    Column[] sessionKey = {u, day, session};
    Column[] viewKey = {u, day, session, view};
    Column[] eventKey = {u, day, session, view, stage};

    // 1. One row per user and active day (new users from their signup day), with a Poisson number of sessions.
    Column firstDay = when(col(UserPopulation.IS_NEW),
        floor(col(UserPopulation.SIGNUP_S).minus(start).divide(SECONDS_PER_DAY)).cast("int")).otherwise(0);
    Dataset<Row> userDays = users
        .select(u, col("user_id"), col("country"), col("device"), col(UserPopulation.SIGNUP_S),
            col(UserPopulation.PREFERRED_CATEGORY), col(UserPopulation.PREFERRED_PROBABILITY),
            col(UserPopulation.ON_MISSIONS), col(UserPopulation.ACTIVITY), explode(sequence(firstDay, lit(DemoLakeSpec.DAYS - 1))).as("day"))
        .withColumn("lambda", lit(DemoLakeSpec.BASE_SESSIONS_PER_USER_DAY)
            .multiply(col(UserPopulation.ACTIVITY)).multiply(lookup(dayFactors(), day)))
        .withColumn("sessions", draws.poisson("sessions", col("lambda"), MAX_SESSIONS_PER_USER_DAY, u, day));

    // 2. Sessions: a start time, buying or browsing intent, a number of views and a checkout time.
    Column promoDay = day.between(promoDayIndex(DemoLakeSpec.PROMO_START_DATE), promoDayIndex(DemoLakeSpec.PROMO_END_DATE));
    Column sessionStart = greatest(
        lit(start).plus(day.multiply(SECONDS_PER_DAY)).plus(DemoLakeSpec.SESSION_FIRST_HOUR * 3600L)
            .plus(draws.below("session-start",
                (DemoLakeSpec.SESSION_LAST_HOUR - DemoLakeSpec.SESSION_FIRST_HOUR) * 3600L, sessionKey)),
        col(UserPopulation.SIGNUP_S).plus(120));
    Column views = lit(1).plus(least(lit(DemoLakeSpec.MAX_VIEWS_PER_SESSION - 1),
        floor(draws.exponential("session-views", sessionKey).multiply(DemoLakeSpec.VIEWS_PER_SESSION_SPREAD)).cast("int")));
    Dataset<Row> sessions = userDays
        // posexplode of an array of length `sessions`: user-days without a session produce no row.
        .select(col("*"), posexplode(array_repeat(lit(true), col("sessions"))).as(new String[] {"session", "unused"}))
        .withColumn("start_s", sessionStart)
        .withColumn("buying", draws.chance("session-buying", when(promoDay, lit(DemoLakeSpec.PROMO_BUYING_SESSION_SHARE))
            .otherwise(lit(DemoLakeSpec.BUYING_SESSION_SHARE)), sessionKey))
        .withColumn("views", views)
        .withColumn("checkout_s", col("start_s").plus(col("views").multiply(DemoLakeSpec.SECONDS_PER_VIEW))
            .plus(60).plus(draws.below("session-checkout", 120, sessionKey)))
        .withColumn("session_id", format_string("s%06d-%03d-%d", u, day, session));

    // 3. Viewed items: preferred (members) or weekly mission (non-members) category or global traffic, then a
    //    Zipf rank inside the category. An
    //    item not launched yet is replaced by a second draw, then by the category's top item.
    Column viewTs = col("view_s");
    Column category = col("category");
    Column candidate1 = catalog.itemAt(category, draws.zipfRank("view-item", catalog.size(category), viewKey));
    Column candidate2 = catalog.itemAt(category, draws.zipfRank("view-item-retry", catalog.size(category), viewKey));
    Dataset<Row> viewed = sessions
        .withColumn("view", explode(sequence(lit(0), col("views").minus(1))))
        .withColumn("view_s", col("start_s").plus(view.multiply(DemoLakeSpec.SECONDS_PER_VIEW))
            .plus(draws.below("view-offset", 60, viewKey)))
        .withColumn("category", when(draws.chance("view-preferred", col(UserPopulation.PREFERRED_PROBABILITY), viewKey),
            when(col(UserPopulation.ON_MISSIONS), draws.weightedIndex("user-mission-category", DemoLakeSpec.CATEGORY_WEIGHTS,
                u, floor(day.divide(DemoLakeSpec.MISSION_DAYS)))).otherwise(col(UserPopulation.PREFERRED_CATEGORY)))
            .otherwise(draws.weightedIndex("view-category", DemoLakeSpec.CATEGORY_WEIGHTS, viewKey)))
        .withColumn("candidate1", candidate1)
        .withColumn("candidate2", candidate2)
        .withColumn("item", when(catalog.launchSeconds(col("candidate1"), category).leq(viewTs), col("candidate1"))
            .when(catalog.launchSeconds(col("candidate2"), category).leq(viewTs), col("candidate2"))
            .otherwise(catalog.itemAt(category, lit(0L))))
        .withColumn("base_price", catalog.basePrice(col("item"), category));

    // 4. The funnel of each viewed item: how far it got (view, click, add_to_cart, purchase, return).
    Column buying = col("buying");
    Column clicked = draws.chance("view-click", funnel(buying, 0), viewKey);
    Column carted = col("clicked").and(draws.chance("view-cart", funnel(buying, 1), viewKey));
    Column purchased = col("carted").and(draws.chance("view-purchase", funnel(buying, 2), viewKey));
    Column returnTs = col("checkout_s").plus(DemoLakeSpec.RETURN_MIN_DAYS * SECONDS_PER_DAY)
        .plus(draws.below("view-return-delay",
            (DemoLakeSpec.RETURN_MAX_DAYS - DemoLakeSpec.RETURN_MIN_DAYS + 1) * SECONDS_PER_DAY, viewKey));
    Column returned = col("purchased").and(draws.chance("view-return", DemoLakeSpec.RETURN_SHARE, viewKey))
        .and(col("return_s").lt(end));
    Dataset<Row> funnels = viewed
        .withColumn("clicked", clicked)
        .withColumn("carted", carted)
        .withColumn("purchased", purchased)
        .withColumn("return_s", returnTs)
        .withColumn("returned", returned)
        .withColumn("quantity_bought", lit(1).plus(draws.weightedIndex("view-quantity", DemoLakeSpec.QUANTITY_WEIGHTS, viewKey)))
        .withColumn("stages", lit(1).plus(col("clicked").cast("int")).plus(col("carted").cast("int"))
            .plus(col("purchased").cast("int")).plus(col("returned").cast("int")));

    // 5. One event per reached stage. Purchases of a session share the checkout time and order id;
    //    returns carry the price paid and no session.
    Column eventTs = when(stage.equalTo(1), viewTs)
        .when(stage.equalTo(2), viewTs.plus(5).plus(draws.below("click-delay", 20, viewKey)))
        .when(stage.equalTo(3), viewTs.plus(30).plus(draws.below("cart-delay", 30, viewKey)))
        .when(stage.equalTo(4), col("checkout_s"))
        .otherwise(col("return_s"));
    Column priceTs = when(stage.equalTo(5), col("checkout_s")).otherwise(col("event_s"));
    Column ingestDelay = when(draws.chance("ingest-late", DemoLakeSpec.LATE_INGEST_SHARE, eventKey),
        lit(DemoLakeSpec.LATE_INGEST_MIN_HOURS * 3600L).plus(draws.below("ingest-late-delay",
            (DemoLakeSpec.LATE_INGEST_MAX_HOURS - DemoLakeSpec.LATE_INGEST_MIN_HOURS) * 3600L, eventKey)))
        .otherwise(lit(1L).plus(draws.below("ingest-delay", DemoLakeSpec.INGEST_MAX_DELAY_SECONDS, eventKey)));
    Column eventType = when(stage.equalTo(1), lit("view"))
        .when(stage.equalTo(2), lit("click"))
        .when(stage.equalTo(3), lit("add_to_cart"))
        .when(stage.equalTo(4), lit("purchase"))
        .otherwise(lit("return"));
    return funnels
        .withColumn("stage", explode(sequence(lit(1), col("stages"))))
        .withColumn("event_s", eventTs)
        .select(
            format_string("e%06d-%03d-%d-%02d-%d", u, day, session, view, stage).as("event_id"),
            col("user_id"),
            catalog.itemId(col("item")).as("item_id"),
            eventType.as("event_type"),
            timestamp_seconds(col("event_s")).as("event_ts"),
            when(stage.leq(4), col("session_id")).as("session_id"),
            when(stage.geq(4), format_string("o%06d-%03d-%d", u, day, session)).as("order_id"),
            when(stage.geq(3), col("quantity_bought")).otherwise(lit(1)).as("quantity"),
            catalog.effectivePrice(col("base_price"), category, priceTs).as("unit_price"),
            col("country"),
            col("device"),
            timestamp_seconds(col("event_s").plus(ingestDelay)).as("ingested_at"));
  }

  private static Column funnel(Column buying, int step) {
    return when(buying, lit(DemoLakeSpec.BUYING_FUNNEL.get(step))).otherwise(lit(DemoLakeSpec.BROWSING_FUNNEL.get(step)));
  }

  private static List<Double> dayFactors() {
    List<Double> factors = new ArrayList<>(DemoLakeSpec.DAYS);
    for (int d = 0; d < DemoLakeSpec.DAYS; d++) {
      factors.add(DemoLakeSpec.sessionRateFactor(DemoLakeSpec.dayOf(d)));
    }
    return factors;
  }

  private static int promoDayIndex(LocalDate date) {
    return (int) (date.toEpochDay() - DemoLakeSpec.START_DATE.toEpochDay());
  }

  private static int ceilDiv(int a, int b) {
    return Math.max(1, (a + b - 1) / b);
  }
}
