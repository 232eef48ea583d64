package io.rehearsal.transforms.generate;

import static io.rehearsal.transforms.generate.Draws.lookup;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.format_string;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.round;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.schema.CanonicalTables;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * The item catalogue as pure functions of the item index, so that the items table and the events
 * (which need an item's category, price and launch time) compute identical values without a join.
 *
 * <p>Items are laid out in contiguous index blocks per category. Inside a block, popularity rank
 * {@code r} maps to local position {@code (r * a + b) mod n} with {@code a} coprime to {@code n}: a
 * seed-dependent permutation, so item ids do not reveal popularity. The rank-0 item of each category is
 * never launched late, which gives the item choice a fallback that is always available.
 */
final class ItemCatalog {

  static final List<List<String>> BRANDS = List.of(
      List.of("Voltix", "Nimbus", "Kestrel Audio", "Arcline", "Pixelhaus"),
      List.of("Thread & Co", "Marlowe", "Northloom", "Vela", "Saltmarsh"),
      List.of("Hearthly", "Oakden", "Lumen Home", "Brindle", "Casaverde"),
      List.of("Glowhaus", "Petalry", "Aurel", "Mistique", "Purely"),
      List.of("Stride", "Summitline", "Pacepoint", "Ironfern", "Tidal"),
      List.of("Blockbay", "Wonderkin", "Tinkerfox", "Puddle", "Orbit Kids"),
      List.of("Inkwell Press", "Larkspur", "Folio & Finch", "Harbour Books", "Quillon"),
      List.of("Farrow Farm", "Greenacre", "Little Larder", "Saltbox", "Morrow Mills"));

  static final List<List<String>> PRODUCTS = List.of(
      List.of("headphones", "smart speaker", "tablet", "phone charger", "monitor", "action camera"),
      List.of("denim jacket", "wool scarf", "trainers", "linen shirt", "raincoat", "leather belt"),
      List.of("table lamp", "duvet set", "cast-iron pan", "storage basket", "throw blanket", "kettle"),
      List.of("face serum", "lip balm", "shampoo", "hand cream", "eyeshadow palette", "sunscreen"),
      List.of("yoga mat", "running shorts", "dumbbell set", "water bottle", "cycling gloves", "tennis racket"),
      List.of("building set", "plush bear", "jigsaw puzzle", "toy car", "board game", "craft kit"),
      List.of("crime novel", "cookbook", "travel guide", "poetry collection", "biography", "picture book"),
      List.of("olive oil", "ground coffee", "granola", "dark chocolate", "green tea", "pasta sauce"));

  static final List<String> ADJECTIVES = List.of(
      "classic", "compact", "premium", "everyday", "eco", "deluxe", "lightweight", "essential", "signature",
      "pro", "vintage", "smart");

  private static final long SECONDS_PER_DAY = 86_400L;
  private static final BigDecimal NINETY_NINE_PENCE = new BigDecimal("0.99");

  private final Draws draws;
  private final int items;
  private final List<Long> sizes;
  private final List<Long> offsets;
  private final List<Long> multipliers;
  private final List<Long> shifts;

  ItemCatalog(long seed, int items, Draws draws) {
    int categories = DemoLakeSpec.CATEGORIES.size();
    if (items < categories) {
      throw new IllegalArgumentException("need at least one item per category, got " + items + " items");
    }
    this.draws = draws;
    this.items = items;
    List<Long> sizes = new ArrayList<>();
    List<Long> offsets = new ArrayList<>();
    List<Long> multipliers = new ArrayList<>();
    List<Long> shifts = new ArrayList<>();
    long offset = 0;
    for (int c = 0; c < categories; c++) {
      long size = c == categories - 1
          ? items - offset
          : Math.max(1, (long) Math.floor(items * DemoLakeSpec.CATEGORY_WEIGHTS.get(c)));
      long a = 1 + Math.floorMod(mix(seed, 2L * c), Math.max(1, size - 1));
      while (gcd(a, size) != 1) {
        a++;
      }
      sizes.add(size);
      offsets.add(offset);
      multipliers.add(a);
      shifts.add(Math.floorMod(mix(seed, 2L * c + 1), size));
      offset += size;
    }
    this.sizes = List.copyOf(sizes);
    this.offsets = List.copyOf(offsets);
    this.multipliers = List.copyOf(multipliers);
    this.shifts = List.copyOf(shifts);
  }

  int items() {
    return items;
  }

  /** Number of items in a category (category index column). */
  Column size(Column category) {
    return lookup(sizes, category);
  }

  /** Category index of an item index. */
  Column categoryOf(Column item) {
    Column category = lit(0);
    for (int c = 1; c < offsets.size(); c++) {
      category = category.plus(when(item.geq(lit(offsets.get(c))), 1).otherwise(0));
    }
    return category;
  }

  /** The item index holding popularity rank {@code rank} (0 = most popular) in a category. */
  Column itemAt(Column category, Column rank) {
    Column local = pmod(rank.multiply(lookup(multipliers, category)).plus(lookup(shifts, category)), size(category));
    return lookup(offsets, category).plus(local);
  }

  Column itemId(Column item) {
    return format_string("i%05d", item);
  }

  /** Launch instant in epoch seconds: most items long before the period, a few in its last weeks. */
  Column launchSeconds(Column item, Column category) {
    Column mostPopular = item.minus(lookup(offsets, category)).equalTo(lookup(shifts, category));
    Column late = mostPopular.unary_$bang().and(draws.chance("item-late-launch", DemoLakeSpec.LATE_LAUNCH_SHARE, item));
    long lateFrom = DemoLakeSpec.LATE_LAUNCH_FROM.getEpochSecond();
    long lateSpan = DemoLakeSpec.LATE_LAUNCH_UNTIL.getEpochSecond() - lateFrom;
    Column lateLaunch = lit(lateFrom).plus(draws.below("item-late-launch-time", lateSpan, item));
    Column regularLaunch = lit(DemoLakeSpec.START.getEpochSecond())
        .minus(lit(SECONDS_PER_DAY).multiply(draws.below("item-launch-day", DemoLakeSpec.CATALOGUE_AGE_DAYS, item).plus(1)))
        .plus(draws.below("item-launch-second", SECONDS_PER_DAY, item));
    return when(late, lateLaunch).otherwise(regularLaunch);
  }

  /** Base list price (DECIMAL(12,2)): log-uniform in the category's range, ending in .99. */
  Column basePrice(Column item, Column category) {
    Column logMin = Draws.lookup(logs(DemoLakeSpec.CATEGORY_PRICE_MIN), category);
    Column logMax = Draws.lookup(logs(DemoLakeSpec.CATEGORY_PRICE_MAX), category);
    Column raw = exp(logMin.plus(draws.uniform("item-price", item).multiply(logMax.minus(logMin))));
    return floor(raw).cast(CanonicalTables.MONEY).plus(lit(NINETY_NINE_PENCE)).cast(CanonicalTables.MONEY);
  }

  /**
   * The price at an instant (epoch seconds): the base price times the electronics shift from its start
   * date and times the promotion discount for promoted categories during the promotion, rounded half-up
   * to cents.
   */
  Column effectivePrice(Column basePrice, Column category, Column epochSeconds) {
    Column shifted = category.equalTo(lit(DemoLakeSpec.categoryIndex(DemoLakeSpec.PRICE_SHIFT_CATEGORY)))
        .and(epochSeconds.geq(lit(DemoLakeSpec.PRICE_SHIFT_START.getEpochSecond())));
    Column promoted = lit(false);
    for (String c : DemoLakeSpec.PROMO_CATEGORIES) {
      promoted = promoted.or(category.equalTo(lit(DemoLakeSpec.categoryIndex(c))));
    }
    Column discounted = promoted
        .and(epochSeconds.geq(lit(DemoLakeSpec.PROMO_START.getEpochSecond())))
        .and(epochSeconds.lt(lit(DemoLakeSpec.PROMO_END.getEpochSecond())));
    return when(shifted, round(basePrice.multiply(lit(DemoLakeSpec.PRICE_SHIFT_FACTOR)), 2))
        .when(discounted, round(basePrice.multiply(lit(DemoLakeSpec.PROMO_PRICE_FACTOR)), 2))
        .otherwise(basePrice)
        .cast(CanonicalTables.MONEY);
  }

  Column brand(Column item, Column category) {
    int perCategory = BRANDS.get(0).size();
    Column choice = draws.below("item-brand", perCategory, item);
    return lookup(flatten(BRANDS), category.multiply(perCategory).plus(choice));
  }

  Column description(Column brand, Column item, Column category) {
    int perCategory = PRODUCTS.get(0).size();
    Column product = lookup(flatten(PRODUCTS), category.multiply(perCategory).plus(draws.below("item-product", perCategory, item)));
    Column adjective = lookup(ADJECTIVES, draws.below("item-adjective", ADJECTIVES.size(), item));
    return concat_ws(" ", brand, adjective, product);
  }

  private static List<String> flatten(List<List<String>> lists) {
    return lists.stream().flatMap(List::stream).toList();
  }

  private static List<Double> logs(List<Double> values) {
    return values.stream().map(StrictMath::log).toList();
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  /** SplitMix64 finaliser: a fixed, JDK-independent mix for the few driver-side layout choices. */
  private static long mix(long seed, long salt) {
    long z = seed + 0x9E3779B97F4A7C15L * (salt + 1);
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
