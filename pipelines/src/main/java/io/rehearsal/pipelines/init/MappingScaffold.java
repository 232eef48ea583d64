package io.rehearsal.pipelines.init;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A starter import mapping (docs/import-mapping.md) guessed from a sample of a source: every canonical binding that a
 * column's name and values suggest, each with a comment saying why, and every source column left unused listed at the
 * end. Pure: text in, text out; {@link InitJob} reads the sample and checks the result with the mapping loader.
 */
public final class MappingScaffold {

  /** One guessed binding: the canonical column (e.g. {@code events.user_id}), its YAML value and why. */
  public record Binding(String column, String value, String why) {}

  /** The mapping's text and what it binds; {@code unused} lists the source columns no binding reads. */
  public record Result(String yaml, List<Binding> bindings, List<String> unused) {}

  /** Text that stands for a missing value in exports (R, pandas, spreadsheets, SQL dumps). */
  static final List<String> NULL_TOKENS = List.of("NA", "N/A", "NULL", "null", "None", "NaN", "nan", "#N/A");

  /** Timestamp patterns tried on text values, in this order (Spark's pattern letters; the first that parses all wins). */
  static final List<String> TIMESTAMP_PATTERNS = List.of(
      "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss.SSS",
      "yyyy-MM-dd HH:mm", "yyyy-MM-dd'T'HH:mm", "yyyy/MM/dd HH:mm:ss", "yyyy/MM/dd HH:mm",
      "M/d/yyyy H:mm", "M/d/yyyy H:mm:ss", "d/M/yyyy H:mm", "d/M/yyyy H:mm:ss", "dd.MM.yyyy HH:mm", "dd.MM.yyyy HH:mm:ss",
      "yyyy-MM-dd", "M/d/yyyy", "d/M/yyyy", "dd.MM.yyyy", "yyyyMMdd");

  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  private final SourceSample sample;
  private final Set<Integer> used = new HashSet<>();
  private final List<Binding> bindings = new ArrayList<>();
  private final String nullToken;

  private MappingScaffold(SourceSample sample) {
    this.sample = sample;
    this.nullToken = sample.format().equals("csv") ? nullToken(sample) : null;
  }

  /**
   * The mapping for {@code sample}, named {@code name}, whose {@code source.path} is written as {@code pathInFile}
   * (relative to the mapping file, or absolute).
   */
  public static Result of(String name, String pathInFile, SourceSample sample) {
    return new MappingScaffold(sample).build(name, pathInFile);
  }

  private Result build(String name, String pathInFile) {
    Yaml y = new Yaml();
    y.line("# Import mapping scaffolded by `rehearsal init` from " + Yaml.comment(sample.path()) + " (" + sample.columns().size()
        + " columns, " + sample.rows().size() + " rows sampled).");
    y.line("# Every binding below is a guess from the column names and the sampled values, with the reason beside it:");
    y.line("# check each, then: bin/rehearsal import --mapping <this file> --out <lake folder>. Reference: docs/import-mapping.md.");
    y.line("name: " + Yaml.quote(name));
    y.line("description: " + Yaml.quote("Scaffolded by rehearsal init from " + fileName(sample.path())));
    y.blank();
    y.line("source:");
    y.line("  path: " + Yaml.quote(pathInFile) + "    # relative paths resolve against this file's folder");
    y.line("  format: " + sample.format());
    if (!sample.options().isEmpty() || nullToken != null) {
      y.line("  options:");
      sample.options().forEach((k, v) -> y.line("    " + k + ": " + Yaml.quote(v) + optionComment(k)));
      if (nullToken != null) {
        y.line("    nullValue: " + Yaml.quote(nullToken) + "    # guess: '" + nullToken + "' stands for a missing value in "
            + Yaml.comment(String.join(", ", columnsHolding(nullToken))));
      }
    }
    y.blank();

    // The event columns, most telling first: ids, then time, then the rest.
    Integer user = claim(Names.USER, i -> true);
    Integer item = claim(Names.ITEM, i -> true);
    Integer time = claimTime();
    Integer quantity = claim(Names.QUANTITY, i -> numeric(i));
    Integer price = claim(Names.PRICE, i -> numeric(i));
    Integer order = claim(Names.ORDER, i -> true);
    Integer session = claim(Names.SESSION, i -> true);
    Integer country = claim(Names.COUNTRY, i -> true);
    Integer device = claim(Names.DEVICE, i -> true);
    Integer type = claim(Names.EVENT_TYPE, i -> sample.columns().get(i).type().equals("string")
        && distinct(sample.values(i)).stream().anyMatch(v -> EventTypeWords.canonical(v) != null));
    requireFound("user_id", "the user (customer) id", user);
    requireFound("item_id", "the item (product) id", item);
    requireFound("event_ts", "the event time (a timestamp or date column, text in a common pattern, or epoch seconds "
        + "or milliseconds)", time);
    boolean eventColumn = sample.columns().stream().anyMatch(c -> c.name().equals("event"));

    y.line("# Source timestamps without an offset are wall-clock times read in this zone. Guess: UTC; set the zone the");
    y.line("# source was recorded in (e.g. Europe/London) if it is not UTC.");
    y.line("time_zone: UTC");
    y.blank();
    y.line("events:");
    y.line("  columns:");
    bind(y, "user_id", user, "the user (customer) id; rows without one are excluded as missing_user_id");
    bind(y, "item_id", item, "the item (product) id");
    bindTime(y, time);
    if (session != null) {
      bind(y, "session_id", session, "the session id");
    } else if (order != null) {
      bindAgain(y, "session_id", order, "no session column: one order stands for one session");
    } else {
      y.line("    # session_id: no session or order column found; sessions are then unknown (NULL)");
    }
    if (order != null) {
      bind(y, "order_id", order, "the order (invoice, basket) id");
    }
    if (quantity != null) {
      bind(y, "quantity", quantity, "the quantity");
    } else {
      y.line("    quantity:   { constant: 1 }    # guess: no quantity column, so every row counts one unit");
      bindings.add(new Binding("events.quantity", "{ constant: 1 }", "no quantity column"));
    }
    if (price != null) {
      bind(y, "unit_price", price, "the price of one unit");
    }
    if (country != null) {
      bind(y, "country", country, "the country");
    }
    if (device != null) {
      bind(y, "device", device, "the device");
    }
    boolean returns = type == null && quantity != null && sample.values(quantity).stream().anyMatch(MappingScaffold::negative);
    eventTypes(y, type, quantity, returns);
    exclusions(y, price);
    y.blank();
    items(y, price, eventColumn);
    y.blank();
    users(y, time, country, device, eventColumn);
    List<String> unused = new ArrayList<>();
    for (int i = 0; i < sample.columns().size(); i++) {
      if (!used.contains(i)) {
        unused.add(sample.columns().get(i).name() + " (" + sample.columns().get(i).type() + ")");
      }
    }
    y.blank();
    y.line("# Source columns no binding reads: " + (unused.isEmpty() ? "none." : Yaml.comment(String.join(", ", unused)) + "."));
    return new Result(y.text(), List.copyOf(bindings), List.copyOf(unused));
  }

  /** Without the required columns no mapping can import anything: say which is missing and what was there. */
  private void requireFound(String column, String what, Integer index) {
    if (index == null) {
      throw io.rehearsal.transforms.RehearsalException.invalidInput("Cannot scaffold a mapping from " + sample.path(),
          "no column looks like " + what + " for events." + column + "; its columns are " + sample.columns().stream()
              .map(c -> c.name() + " (" + c.type() + ")").toList(),
          "rename the column (e.g. " + column + "), or write the mapping by hand from docs/import-mapping.md");
    }
  }

  private void eventTypes(Yaml y, Integer type, Integer quantity, boolean returns) {
    y.line("  event_types:");
    if (type != null) {
      String col = Yaml.sqlName(sample.columns().get(type).name());
      Map<String, List<String>> byType = new TreeMap<>(java.util.Comparator.comparingInt(EVENT_ORDER::indexOf));
      List<String> unknown = new ArrayList<>();
      for (String value : distinct(sample.values(type))) {
        String canonical = EventTypeWords.canonical(value);
        if (canonical == null) {
          unknown.add(value);
        } else {
          byType.computeIfAbsent(canonical, k -> new ArrayList<>()).add(value.toLowerCase(Locale.ROOT).strip());
        }
      }
      y.line("    # guess: from " + Yaml.comment(sample.columns().get(type).name()) + "'s sampled values"
          + (unknown.isEmpty() ? "" : "; rows with " + Yaml.comment(String.join(", ", unknown.stream().limit(20)
              .map(v -> "'" + v + "'").toList()) + (unknown.size() > 20 ? " and " + (unknown.size() - 20) + " more" : ""))
              + " match no rule and are excluded as no_event_type"));
      byType.forEach((canonical, values) -> {
        y.line("    - when: " + Yaml.quote("lower(trim(" + col + ")) IN (" + String.join(", ",
            values.stream().distinct().map(MappingScaffold::sqlString).toList()) + ")"));
        y.line("      type: " + canonical);
      });
      bindings.add(new Binding("events.event_type", col, "the event type column"));
      if (quantity != null && sample.values(quantity).stream().anyMatch(MappingScaffold::negative)) {
        y.line("  quantity_sign:   # guess: negative quantities were sampled; a return's is stored as its absolute value");
        y.line("    return: any");
      }
      return;
    }
    if (returns) {
      String q = Yaml.sqlName(sample.columns().get(quantity).name());
      y.line("    # guess: no event type column, so every row is a purchase; a negative quantity (seen in the sample)");
      y.line("    # is a return (a cancellation line)");
      y.line("    - when: " + Yaml.quote("try_cast(" + q + " AS INT) < 0"));
      y.line("      type: return");
      y.line("    - when: \"true\"");
      y.line("      type: purchase");
      y.line("  quantity_sign:");
      y.line("    purchase: positive");
      y.line("    return: negative        # stored negated: the canonical quantity is positive");
      bindings.add(new Binding("events.event_type", "purchase; return when the quantity is negative",
          "no event type column, negative quantities sampled"));
    } else {
      y.line("    # guess: no event type column, so every row is a purchase");
      y.line("    - when: \"true\"");
      y.line("      type: purchase");
      bindings.add(new Binding("events.event_type", "purchase", "no event type column"));
    }
  }

  private void exclusions(Yaml y, Integer price) {
    if (price == null || sample.values(price).stream().noneMatch(v -> v != null && NUMBER.matcher(v.strip()).matches()
        && Double.parseDouble(v.strip()) <= 0)) {
      return;
    }
    String p = Yaml.sqlName(sample.columns().get(price).name());
    y.blank();
    y.line("exclusions:");
    y.line("  # guess: the sample holds prices of 0 or less (free samples, write-offs, fixes rather than sales); kept,");
    y.line("  # they would drag item prices and revenue towards 0");
    y.line("  - name: non_positive_price");
    y.line("    when: " + Yaml.quote("try_cast(" + p + " AS DECIMAL(12,2)) <= 0"));
  }

  private void items(Yaml y, Integer price, boolean eventColumn) {
    y.line("items:");
    y.line("  # One row per item of the kept events; each column below combines the values of the item's rows.");
    y.line("  columns:");
    int before = bindings.size();
    derived(y, "items", "category", Names.CATEGORY, "most_frequent", "the category");
    derived(y, "items", "brand", Names.BRAND, "most_frequent", "the brand");
    if (price != null && eventColumn) {
      y.line("    price: { aggregate: most_recent, source: " + Yaml.quote(sample.columns().get(price).name())
          + " }   # guess: the latest price (a source column named 'event' hides the mapped event here)");
      bindings.add(new Binding("items.price", "most_recent " + sample.columns().get(price).name(), "the latest price"));
    } else if (price != null) {
      y.line("    price:   # guess: the price of the item's latest purchase");
      y.line("      aggregate: most_recent");
      y.line("      expr: event.unit_price");
      y.line("      where: \"event.event_type = 'purchase'\"");
      bindings.add(new Binding("items.price", "most_recent event.unit_price", "the latest purchase's price"));
    }
    derivedTime(y, "items", "launch_ts", Names.LAUNCH, "the launch date");
    Integer description = claim(Names.DESCRIPTION, i -> sample.columns().get(i).type().equals("string"));
    if (description != null) {
      y.line("    description:   # guess: the most frequent text of " + Yaml.comment(sample.columns().get(description).name()));
      y.line("      aggregate: most_frequent");
      y.line("      expr: " + Yaml.quote("nullif(trim(" + Yaml.sqlName(sample.columns().get(description).name()) + "), '')"));
      bindings.add(new Binding("items.description", sample.columns().get(description).name(), "the item's text"));
    }
    if (bindings.size() == before) {
      y.line("    {}   # nothing to derive: category, brand and price stay NULL");
    }
  }

  private void users(Yaml y, Integer time, Integer country, Integer device, boolean eventColumn) {
    y.line("users:");
    y.line("  # One row per user of the kept events; each column below combines the values of the user's rows.");
    y.line("  columns:");
    if (derivedTime(y, "users", "signup_ts", Names.SIGNUP, "the sign-up time")) {
      // bound
    } else if (time != null && eventColumn) {
      y.line("    signup_ts: { aggregate: min, " + timeValue(time)[0].substring(2) + "   # guess: no sign-up column, so "
          + "the first event stands in");
      bindings.add(new Binding("users.signup_ts", "min " + sample.columns().get(time).name(), "no sign-up column"));
    } else if (time != null) {
      y.line("    signup_ts: { aggregate: min, expr: event.event_ts }   # guess: no sign-up column, so the first event "
          + "stands in");
      bindings.add(new Binding("users.signup_ts", "min event.event_ts", "no sign-up column"));
    }
    derived(y, "users", "loyalty_tier", Names.LOYALTY, "most_recent", "the loyalty tier");
    if (country != null && eventColumn) {
      derivedFrom(y, "users", "country", country, "most_frequent", "the user's most frequent country");
    } else if (country != null) {
      y.line("    country: { aggregate: most_frequent, expr: event.country }   # guess: the user's most frequent country");
      bindings.add(new Binding("users.country", "most_frequent event.country", "the events' country"));
    }
    if (device != null && eventColumn) {
      derivedFrom(y, "users", "device", device, "most_frequent", "the user's most frequent device");
    } else if (device != null) {
      y.line("    device: { aggregate: most_frequent, expr: event.device }   # guess: the user's most frequent device");
      bindings.add(new Binding("users.device", "most_frequent event.device", "the events' device"));
    }
    derived(y, "users", "email", Names.EMAIL, "most_recent", "an e-mail address: personal, the manifest must "
        + "pseudonymize or drop it");
    derived(y, "users", "phone", Names.PHONE, "most_recent", "a phone number: personal, the manifest must "
        + "pseudonymize or drop it");
    derived(y, "users", "full_name", Names.FULL_NAME, "most_recent", "a person's name: personal, the manifest must drop it");
  }

  /** A timestamp column of items or users: the earliest value of a column named like it whose values fit. */
  private boolean derivedTime(Yaml y, String table, String column, Names names, String why) {
    Integer i = claim(names, this::timeFits);
    if (i == null) {
      return false;
    }
    String[] value = timeValue(i);
    y.line("    " + column + ": { aggregate: min, " + value[0].substring(2) + "   # guess: " + why + "; " + value[1]);
    bindings.add(new Binding(table + "." + column, sample.columns().get(i).name(), why));
    return true;
  }

  private void derivedFrom(Yaml y, String table, String column, int i, String aggregate, String why) {
    String name = sample.columns().get(i).name();
    y.line("    " + column + ": { aggregate: " + aggregate + ", source: " + Yaml.quote(name) + " }   # guess: " + why);
    bindings.add(new Binding(table + "." + column, name, why));
  }

  private void derived(Yaml y, String table, String column, Names names, String aggregate, String why) {
    Integer i = claim(names, c -> true);
    if (i != null) {
      derivedFrom(y, table, column, i, aggregate, why);
    }
  }

  private void bind(Yaml y, String column, Integer index, String why) {
    SourceSample.Column c = sample.columns().get(index);
    String value;
    if ((column.endsWith("_id")) && (c.type().equals("double") || c.type().equals("float"))) {
      value = "{ expr: " + Yaml.quote("CAST(CAST(" + Yaml.sqlName(c.name()) + " AS BIGINT) AS STRING)") + " }";
      why = why + "; stored as " + c.type() + ", so written without a decimal point";
    } else {
      value = "{ source: " + Yaml.quote(c.name()) + " }";
    }
    y.line("    " + pad(column + ":", 12) + value + "    # guess: " + why);
    bindings.add(new Binding("events." + column, value, why));
  }

  private void bindAgain(Yaml y, String column, int index, String why) {
    String value = "{ source: " + Yaml.quote(sample.columns().get(index).name()) + " }";
    y.line("    " + pad(column + ":", 12) + value + "    # guess: " + why);
    bindings.add(new Binding("events." + column, value, why));
  }

  /** A typed timestamp column first (by name), then any column named like a time whose values can become one. */
  private Integer claimTime() {
    Integer typed = claim(Names.TIME, i -> sample.columns().get(i).type().startsWith("timestamp"));
    return typed != null ? typed : claim(Names.TIME, this::timeFits);
  }

  /** Whether the column's values can become a timestamp: a time type, whole numbers, or text in a known form. */
  private boolean timeFits(int i) {
    String type = sample.columns().get(i).type();
    return switch (type) {
      case "timestamp", "timestamp_ntz", "date", "int", "bigint" -> true;
      case "string" -> timestampPattern(sample.values(i)) != null || epochDigits(sample.values(i)) != null;
      default -> false;
    };
  }

  /** "seconds" or "milliseconds" when every sampled value is 10 or 13 digits; null otherwise. */
  private static String epochDigits(List<String> values) {
    List<String> present = values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).toList();
    if (!present.isEmpty() && present.stream().allMatch(v -> v.matches("\\d{10}"))) {
      return "seconds";
    }
    if (!present.isEmpty() && present.stream().allMatch(v -> v.matches("\\d{13}"))) {
      return "milliseconds";
    }
    return null;
  }

  /** The YAML value that turns column {@code i} into a timestamp, and why (for the comment). */
  private String[] timeValue(int i) {
    SourceSample.Column c = sample.columns().get(i);
    String name = Yaml.quote(c.name());
    String sql = Yaml.sqlName(c.name());
    switch (c.type()) {
      case "string" -> {
        String pattern = timestampPattern(sample.values(i));
        if (pattern != null) {
          return new String[] {"{ source: " + name + ", format: " + Yaml.quote(pattern) + " }",
              "every sampled value parses with this pattern" + (ambiguousDayMonth(pattern, sample.values(i))
                  ? " (day and month are both 12 or less in every sampled value: check that the day comes where it says)"
                  : "")};
        }
        String unit = epochDigits(sample.values(i));
        return new String[] {"{ expr: " + Yaml.quote((unit.equals("seconds") ? "timestamp_seconds(" : "timestamp_millis(")
            + "CAST(" + sql + " AS BIGINT))") + " }", "whole numbers: read as " + unit + " since 1970-01-01 UTC"};
      }
      case "int", "bigint" -> {
        boolean millis = sample.values(i).stream().filter(v -> v != null).anyMatch(v -> v.strip().length() > 11);
        return new String[] {"{ expr: " + Yaml.quote((millis ? "timestamp_millis(" : "timestamp_seconds(") + sql + ")") + " }",
            "whole numbers: read as " + (millis ? "milliseconds" : "seconds") + " since 1970-01-01 UTC"};
      }
      default -> {
        return new String[] {"{ source: " + name + " }", "a " + c.type() + " column"
            + (c.type().equals("timestamp") ? " (an instant: time_zone does not apply)" : "")};
      }
    }
  }

  private void bindTime(Yaml y, Integer index) {
    String[] value = timeValue(index);
    y.line("    " + pad("event_ts:", 12) + value[0] + "    # guess: " + value[1]);
    bindings.add(new Binding("events.event_ts", value[0], value[1]));
  }

  /** Claims the first unused column whose name matches {@code names} and whose values pass {@code fits}. */
  private Integer claim(Names names, Predicate<Integer> fits) {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < sample.columns().size(); i++) {
        String name = sample.columns().get(i).name();
        boolean match = pass == 0 ? names.exact(name) : names.matches(name);
        if (!used.contains(i) && match && fits.test(i)) {
          used.add(i);
          return i;
        }
      }
    }
    return null;
  }

  private boolean numeric(int column) {
    String type = sample.columns().get(column).type();
    if (!type.equals("string")) {
      return type.matches("byte|short|int|bigint|float|double|decimal.*");
    }
    return sample.values(column).stream().filter(v -> v != null && !v.isBlank() && !v.equals(nullToken))
        .allMatch(v -> NUMBER.matcher(v.strip()).matches());
  }

  private static boolean negative(String v) {
    return v != null && NUMBER.matcher(v.strip()).matches() && Double.parseDouble(v.strip()) < 0;
  }

  /** The first pattern of {@link #TIMESTAMP_PATTERNS} that parses every non-blank sampled value; null when none. */
  static String timestampPattern(List<String> values) {
    List<String> present = values.stream().filter(v -> v != null && !v.isBlank() && !NULL_TOKENS.contains(v.strip())).toList();
    if (present.isEmpty()) {
      return null;
    }
    for (String pattern : TIMESTAMP_PATTERNS) {
      if (parsesAll(pattern, present)) {
        return pattern;
      }
    }
    return null;
  }

  /** True when the pattern puts day and month as numbers and the other order parses every sampled value too. */
  private static boolean ambiguousDayMonth(String pattern, List<String> values) {
    if (!pattern.startsWith("M/d") && !pattern.startsWith("d/M")) {
      return false;
    }
    return parsesAll((pattern.startsWith("M/d") ? "d/M" : "M/d") + pattern.substring(3), values);
  }

  private static boolean parsesAll(String pattern, List<String> values) {
    DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern.replace("yyyy", "uuuu"), Locale.ROOT)
        .withResolverStyle(java.time.format.ResolverStyle.STRICT);
    for (String v : values) {
      if (v == null || v.isBlank()) {
        continue;
      }
      try {
        if (pattern.contains("H")) {
          LocalDateTime.parse(v.strip(), f);
        } else {
          LocalDate.parse(v.strip(), f);
        }
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return true;
  }

  /** The most frequent of {@link #NULL_TOKENS} among the sampled values, or null when none occurs. */
  private static String nullToken(SourceSample sample) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (List<String> row : sample.rows()) {
      for (String v : row) {
        if (v != null && NULL_TOKENS.contains(v.strip())) {
          counts.merge(v.strip(), 1, Integer::sum);
        }
      }
    }
    return counts.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  private List<String> columnsHolding(String token) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < sample.columns().size(); i++) {
      if (sample.values(i).stream().anyMatch(v -> v != null && v.strip().equals(token))) {
        out.add(sample.columns().get(i).name());
      }
    }
    return out;
  }

  private static String optionComment(String key) {
    return switch (key) {
      case "inferSchema" -> "    # every column is read as text and converted as declared below";
      case "sep" -> "    # guessed from the header line";
      case "escape" -> "    # a doubled quote inside a quoted value is a quote";
      case "mode" -> "    # a malformed line fails the import instead of becoming nulls";
      default -> "";
    };
  }

  /** A Spark SQL string literal: backslashes and quotes escaped. */
  private static String sqlString(String value) {
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static List<String> distinct(List<String> values) {
    return values.stream().filter(v -> v != null && !v.isBlank()).map(String::strip).distinct().sorted().toList();
  }

  private static String fileName(String path) {
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    return p.substring(p.lastIndexOf('/') + 1);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }

  private static final List<String> EVENT_ORDER = io.rehearsal.transforms.schema.CanonicalTables.EVENT_TYPES;

  /** Words in event type values and what they stand for. */
  static final class EventTypeWords {
    private EventTypeWords() {}

    static String canonical(String value) {
      String v = value.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", "");
      if (v.contains("remove") || v.contains("wish") || v.contains("checkout") || v.contains("search")) {
        return null; // not one of the five: removing from a cart, a wish list, starting a checkout, a search
      }
      if (v.contains("return") || v.contains("refund") || v.contains("cancel")) {
        return "return";
      }
      if (v.contains("cart") || v.contains("basket")) {
        return "add_to_cart";
      }
      if (v.contains("purchase") || v.contains("buy") || v.contains("order") || v.contains("transaction")
          || v.contains("sale")) {
        return "purchase";
      }
      if (v.contains("click")) {
        return "click";
      }
      if (v.contains("view") || v.contains("impression") || v.contains("detail") || v.contains("visit")) {
        return "view";
      }
      return null;
    }
  }
}
