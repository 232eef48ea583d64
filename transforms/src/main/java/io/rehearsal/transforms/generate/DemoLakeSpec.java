package io.rehearsal.transforms.generate;

import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

/**
 * The calendar, catalogue and behaviour constants of the synthetic demo lake built by
 * {@link DemoLakeGenerator}. Everything here is public so that later steps (drift detection, features,
 * ranking evaluation) can test against the same numbers the data was generated from; docs/demo-lake.md
 * explains them in prose.
 *
 * <p>All instants are UTC. Day indexes count from {@link #START_DATE} (day 0) to day {@code DAYS - 1}.
 */
public final class DemoLakeSpec {

  private DemoLakeSpec() {}

  // ---------------------------------------------------------------- calendar

  /** First day with events (2025-01-01, a Wednesday). */
  public static final LocalDate START_DATE = LocalDate.of(2025, 1, 1);
  /** Length of the event period in days. */
  public static final int DAYS = 182;
  /** First day after the event period (2025-07-02): no event has {@code event_ts} on or after it. */
  public static final LocalDate END_DATE_EXCLUSIVE = START_DATE.plusDays(DAYS);
  public static final Instant START = startOf(START_DATE);
  public static final Instant END = startOf(END_DATE_EXCLUSIVE);

  /** The one promotion: more sessions, more buying sessions, discounted promoted categories. */
  public static final LocalDate PROMO_START_DATE = LocalDate.of(2025, 4, 14);
  /** Last promotion day, inclusive (two full weeks, Monday to Sunday twice). */
  public static final LocalDate PROMO_END_DATE = LocalDate.of(2025, 4, 27);
  public static final Instant PROMO_START = startOf(PROMO_START_DATE);
  /** Exclusive end of the promotion: 2025-04-28T00:00Z. */
  public static final Instant PROMO_END = startOf(PROMO_END_DATE.plusDays(1));
  /** Categories whose prices are discounted during the promotion (electronics is deliberately not one). */
  public static final List<String> PROMO_CATEGORIES = List.of("fashion", "home", "beauty");
  /** Price multiplier for promoted categories during the promotion (20% off). */
  public static final BigDecimal PROMO_PRICE_FACTOR = new BigDecimal("0.80");
  /** Multiplier on the expected number of sessions per user and day during the promotion. */
  public static final double PROMO_SESSION_FACTOR = 1.5;

  /** The one permanent price shift: electronics becomes 15% more expensive from this day on. */
  public static final String PRICE_SHIFT_CATEGORY = "electronics";
  public static final LocalDate PRICE_SHIFT_DATE = LocalDate.of(2025, 5, 19);
  public static final Instant PRICE_SHIFT_START = startOf(PRICE_SHIFT_DATE);
  public static final BigDecimal PRICE_SHIFT_FACTOR = new BigDecimal("1.15");

  /** Share of items launched late, inside the last {@link #LATE_LAUNCH_WINDOW_DAYS} days of the period. */
  public static final double LATE_LAUNCH_SHARE = 0.05;
  public static final int LATE_LAUNCH_WINDOW_DAYS = 42;
  /** Earliest launch of a late item: 2025-05-21T00:00Z. */
  public static final Instant LATE_LAUNCH_FROM = startOf(END_DATE_EXCLUSIVE.minusDays(LATE_LAUNCH_WINDOW_DAYS));
  /** Late items launch before this instant (2025-06-25T00:00Z), so each has at least a week of traffic. */
  public static final Instant LATE_LAUNCH_UNTIL = startOf(END_DATE_EXCLUSIVE.minusDays(7));
  /** Items that are not late launched between this many days before {@link #START} and the day before it. */
  public static final int CATALOGUE_AGE_DAYS = 730;

  // ---------------------------------------------------------------- size

  /** Users per unit of scale: scale 1 has 1,000 users and roughly 75k events. */
  public static final int USERS_PER_SCALE = 1_000;
  /** Items per unit of scale. */
  public static final int ITEMS_PER_SCALE = 300;
  /** Largest accepted scale (10M users); keeps every index inside an int and the run finite. */
  public static final int MAX_SCALE = 10_000;

  // ---------------------------------------------------------------- catalogue

  /** Categories; the same order indexes every per-category array below. */
  public static final List<String> CATEGORIES =
      List.of("electronics", "fashion", "home", "beauty", "sports", "toys", "books", "grocery");
  /**
   * Share of each category in the catalogue and in global traffic (a view picks a category with these
   * weights, then an item inside it by popularity).
   */
  public static final List<Double> CATEGORY_WEIGHTS = List.of(0.18, 0.18, 0.14, 0.12, 0.11, 0.09, 0.10, 0.08);
  /** Base list prices are log-uniform in [min, max) per category, rounded down to x.99. */
  public static final List<Double> CATEGORY_PRICE_MIN = List.of(15.0, 8.0, 5.0, 3.0, 8.0, 4.0, 3.0, 1.0);
  public static final List<Double> CATEGORY_PRICE_MAX = List.of(1500.0, 220.0, 450.0, 95.0, 380.0, 140.0, 45.0, 35.0);

  // ---------------------------------------------------------------- users

  /** Share of users who sign up during the period ("new"); the rest signed up up to 3 years before. */
  public static final double NEW_USER_SHARE = 0.25;
  /** New users sign up on a day in [0, DAYS - NEW_USER_SIGNUP_MARGIN_DAYS). */
  public static final int NEW_USER_SIGNUP_MARGIN_DAYS = 7;
  public static final int EXISTING_USER_MAX_AGE_DAYS = 3 * 365;

  public static final List<String> LOYALTY_TIERS = List.of("none", "silver", "gold", "platinum");
  /** Target share of each tier over all users. New users are always "none". */
  public static final List<Double> LOYALTY_TIER_SHARES = List.of(0.55, 0.25, 0.15, 0.05);
  /** Tier weights among existing users that yield {@link #LOYALTY_TIER_SHARES} overall. */
  public static final List<Double> EXISTING_USER_TIER_WEIGHTS = existingUserTierWeights();

  /**
   * Probability that a view of a loyalty member goes to the member's preferred category (otherwise the
   * category follows global traffic), per tier (none, silver, gold, platinum). Members are strongly
   * focused on one category; non-members (tier none, which includes every new user) shop on missions
   * instead, see {@link #MISSION_PROBABILITY}.
   */
  public static final List<Double> TIER_PREFERRED_CATEGORY_PROBABILITY = List.of(0.0, 0.75, 0.85, 0.90);
  /**
   * Non-members shop on missions: every {@link #MISSION_DAYS}-day period (counted from {@link #START_DATE})
   * a user draws a mission category with the category weights, and a view goes to it with this
   * probability (otherwise global traffic). Their history says little about their next weeks: a model
   * that personalises from recent items helps members and hurts first-time buyers.
   */
  public static final double MISSION_PROBABILITY = 0.6;
  public static final int MISSION_DAYS = 7;
  /** Multiplier on a user's session rate per tier (members visit more often). */
  public static final List<Double> TIER_ACTIVITY_FACTOR = List.of(0.85, 1.15, 1.40, 1.80);

  public static final List<String> COUNTRIES = List.of("GB", "IE", "DE", "FR", "NL", "US");
  public static final List<Double> COUNTRY_WEIGHTS = List.of(0.55, 0.10, 0.10, 0.09, 0.08, 0.08);
  public static final List<String> COUNTRY_DIAL_CODES = List.of("+44", "+353", "+49", "+33", "+31", "+1");
  public static final List<String> DEVICES = List.of("web", "ios", "android");
  public static final List<Double> DEVICE_WEIGHTS = List.of(0.45, 0.30, 0.25);

  // ---------------------------------------------------------------- sessions and funnel

  /** Expected sessions per user and day before the user, weekday and promotion factors. */
  public static final double BASE_SESSIONS_PER_USER_DAY = 0.11;
  /** Session-rate factor per day of week, Monday first: weekends are busier. */
  public static final List<Double> WEEKDAY_SESSION_FACTORS = List.of(0.90, 0.88, 0.92, 0.95, 1.05, 1.30, 1.25);
  /** Sessions start between 06:00 and 23:00 UTC. */
  public static final int SESSION_FIRST_HOUR = 6;
  public static final int SESSION_LAST_HOUR = 23;
  /** Views per session: 1 + floor(Exp(1) * this), at most {@link #MAX_VIEWS_PER_SESSION}; mean about 2.5. */
  public static final double VIEWS_PER_SESSION_SPREAD = 2.0;
  public static final int MAX_VIEWS_PER_SESSION = 20;
  /** Seconds between consecutive views of a session. */
  public static final int SECONDS_PER_VIEW = 90;

  /**
   * A session is a buying session with this probability (outside / inside the promotion); buying
   * sessions convert far better, which is what makes multi-item orders common.
   */
  public static final double BUYING_SESSION_SHARE = 0.18;
  public static final double PROMO_BUYING_SESSION_SHARE = 0.30;
  /** Funnel probabilities per viewed item: click | view, add_to_cart | click, purchase | add_to_cart. */
  public static final List<Double> BROWSING_FUNNEL = List.of(0.30, 0.15, 0.20);
  public static final List<Double> BUYING_FUNNEL = List.of(0.55, 0.50, 0.70);
  /** Quantity of an add_to_cart / purchase: 1, 2 or 3 with these weights. */
  public static final List<Double> QUANTITY_WEIGHTS = List.of(0.80, 0.15, 0.05);

  /** Share of purchases returned, 2 to 9 days later (returns falling after {@link #END} are dropped). */
  public static final double RETURN_SHARE = 0.05;
  public static final int RETURN_MIN_DAYS = 2;
  public static final int RETURN_MAX_DAYS = 9;

  /** Ingestion delay: 1 to 120 seconds, except a late share arriving 1 to 48 hours after the event. */
  public static final int INGEST_MAX_DELAY_SECONDS = 120;
  public static final double LATE_INGEST_SHARE = 0.01;
  public static final int LATE_INGEST_MIN_HOURS = 1;
  public static final int LATE_INGEST_MAX_HOURS = 48;

  // ---------------------------------------------------------------- derived helpers

  public static boolean isPromoDay(LocalDate day) {
    return !day.isBefore(PROMO_START_DATE) && !day.isAfter(PROMO_END_DATE);
  }

  /** The day's factor on the expected number of sessions: weekday factor times the promotion factor. */
  public static double sessionRateFactor(LocalDate day) {
    double weekday = WEEKDAY_SESSION_FACTORS.get(day.getDayOfWeek().getValue() - DayOfWeek.MONDAY.getValue());
    return isPromoDay(day) ? weekday * PROMO_SESSION_FACTOR : weekday;
  }

  public static LocalDate dayOf(int dayIndex) {
    return START_DATE.plusDays(dayIndex);
  }

  public static int categoryIndex(String category) {
    int index = CATEGORIES.indexOf(category);
    if (index < 0) {
      throw new IllegalArgumentException("Unknown demo category '" + category + "', expected one of " + CATEGORIES);
    }
    return index;
  }

  private static Instant startOf(LocalDate day) {
    return day.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  private static List<Double> existingUserTierWeights() {
    double existing = 1.0 - NEW_USER_SHARE;
    Double[] weights = new Double[LOYALTY_TIER_SHARES.size()];
    weights[0] = (LOYALTY_TIER_SHARES.get(0) - NEW_USER_SHARE) / existing;
    for (int i = 1; i < weights.length; i++) {
      weights[i] = LOYALTY_TIER_SHARES.get(i) / existing;
    }
    return List.of(weights);
  }
}
