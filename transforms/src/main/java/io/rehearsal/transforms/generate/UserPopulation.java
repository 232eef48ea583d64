package io.rehearsal.transforms.generate;

import static io.rehearsal.transforms.generate.Draws.lookup;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.lower;
import static org.apache.spark.sql.functions.regexp_replace;
import static org.apache.spark.sql.functions.when;

import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * User attributes as pure functions of the user index ({@code u}); the users table and the event
 * generator read the same columns, so they always agree.
 */
final class UserPopulation {

  static final List<String> FIRST_NAMES = List.of(
      "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Aoife", "Lena", "Chloe", "Emma", "Sofia",
      "Oliver", "George", "Noah", "Arthur", "Leo", "Harry", "Jack", "Sean", "Lukas", "Hugo", "Daan", "Ethan");

  static final List<String> LAST_NAMES = List.of(
      "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
      "Murphy", "Kelly", "O'Brien", "Walsh", "Müller", "Schmidt", "Martin", "Bernard", "de Jong", "Jansen",
      "Khan", "Evans", "Thomas", "Roberts");

  static final List<String> EMAIL_DOMAINS = List.of("example.com", "example.org", "example.net", "mail.example");

  /** Output columns besides the canonical ones, used by the event generator. */
  static final String U = "u";
  static final String IS_NEW = "is_new";
  static final String SIGNUP_S = "signup_s";
  static final String TIER = "tier";
  static final String PREFERRED_CATEGORY = "preferred_category";
  static final String PREFERRED_PROBABILITY = "preferred_probability";
  /** Non-members: their focus is a weekly mission category, not a fixed preferred one. */
  static final String ON_MISSIONS = "on_missions";
  static final String ACTIVITY = "activity";

  private static final long SECONDS_PER_DAY = 86_400L;
  /** Activity multipliers are capped so one user cannot dominate a small lake. */
  private static final double MAX_ACTIVITY = 8.0;

  private final Draws draws;

  UserPopulation(Draws draws) {
    this.draws = draws;
  }

  /** Adds every user attribute to a {@code spark.range} of user indexes (column {@code id}). */
  Dataset<Row> attributes(Dataset<Row> range) {
    Column u = col(U);
    long start = DemoLakeSpec.START.getEpochSecond();
    Column newSignup = lit(start)
        .plus(lit(SECONDS_PER_DAY).multiply(
            draws.below("user-signup-day", DemoLakeSpec.DAYS - DemoLakeSpec.NEW_USER_SIGNUP_MARGIN_DAYS, u)))
        // New users sign up before 20:00, so their first session (from signup + 2 min) still starts by 23:00.
        .plus(draws.below("user-signup-second", 20 * 3600, u));
    Column existingSignup = lit(start)
        .minus(lit(SECONDS_PER_DAY).multiply(
            draws.below("user-signup-age", DemoLakeSpec.EXISTING_USER_MAX_AGE_DAYS, u).plus(1)))
        .plus(draws.below("user-signup-second", SECONDS_PER_DAY, u));
    Column baseActivity = least(
        lit(0.25).plus(draws.exponential("user-activity", u).multiply(0.75)), lit(MAX_ACTIVITY));

    Dataset<Row> users = range.withColumnRenamed("id", U)
        .withColumn("user_id", format_string("u%06d", u))
        .withColumn(IS_NEW, draws.chance("user-new", DemoLakeSpec.NEW_USER_SHARE, u))
        .withColumn(SIGNUP_S, when(col(IS_NEW), newSignup).otherwise(existingSignup))
        .withColumn(TIER, when(col(IS_NEW), lit(0))
            .otherwise(draws.weightedIndex("user-tier", DemoLakeSpec.EXISTING_USER_TIER_WEIGHTS, u)))
        .withColumn(PREFERRED_CATEGORY, draws.weightedIndex("user-preferred-category", DemoLakeSpec.CATEGORY_WEIGHTS, u))
        .withColumn(ON_MISSIONS, col(TIER).equalTo(0))
        .withColumn(PREFERRED_PROBABILITY, when(col(ON_MISSIONS), lit(DemoLakeSpec.MISSION_PROBABILITY))
            .otherwise(lookup(DemoLakeSpec.TIER_PREFERRED_CATEGORY_PROBABILITY, col(TIER))))
        .withColumn(ACTIVITY, baseActivity.multiply(lookup(DemoLakeSpec.TIER_ACTIVITY_FACTOR, col(TIER))))
        .withColumn("country_index", draws.weightedIndex("user-country", DemoLakeSpec.COUNTRY_WEIGHTS, u));

    Column first = lookup(FIRST_NAMES, draws.below("user-first-name", FIRST_NAMES.size(), u));
    Column last = lookup(LAST_NAMES, draws.below("user-last-name", LAST_NAMES.size(), u));
    Column domain = lookup(EMAIL_DOMAINS, draws.below("user-email-domain", EMAIL_DOMAINS.size(), u));
    Column localPart = concat(
        lower(first), lit("."), regexp_replace(lower(last), "[^a-zü]", ""), u.cast("string"));
    Column phone = concat_ws(" ",
        lookup(DemoLakeSpec.COUNTRY_DIAL_CODES, col("country_index")),
        format_string("7%03d", draws.below("user-phone-1", 1000, u)),
        format_string("%06d", draws.below("user-phone-2", 1_000_000, u)));

    return users
        .withColumn("loyalty_tier", lookup(DemoLakeSpec.LOYALTY_TIERS, col(TIER)))
        .withColumn("country", lookup(DemoLakeSpec.COUNTRIES, col("country_index")))
        .withColumn("device", draws.weightedIndex("user-device", DemoLakeSpec.DEVICE_WEIGHTS, u))
        .withColumn("device", lookup(DemoLakeSpec.DEVICES, col("device")))
        .withColumn("email", concat(regexp_replace(localPart, "ü", "ue"), lit("@"), domain))
        .withColumn("phone", phone)
        .withColumn("full_name", concat_ws(" ", first, last))
        .drop("country_index");
  }
}
