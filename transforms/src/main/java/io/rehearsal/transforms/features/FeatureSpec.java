package io.rehearsal.transforms.features;

import io.rehearsal.transforms.RehearsalException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.spark.sql.functions;

/**
 * One declared rolling feature (see docs/features.md). Plain immutable data: a later step loads YAML
 * into it; {@link RollingFeatures} computes it.
 *
 * <ul>
 *   <li>{@code filter}: Spark SQL boolean over the event columns; null keeps every event. Rows where it
 *       is null are not matched.
 *   <li>{@code value}: Spark SQL expression over the event columns; required by SUM, AVG, MIN, MAX and
 *       COUNT_DISTINCT, optional for COUNT (then only non-null values are counted), absent for RATIO and
 *       DAYS_SINCE_LAST.
 *   <li>{@code windows}: trailing windows in days, each producing a column {@code <name>_<N>d}. Only
 *       DAYS_SINCE_LAST may have none: it then produces one windowless column {@code <name>}.
 *   <li>{@code numerator}/{@code denominator}: names of two other declared features of the same entity,
 *       RATIO and RELATIVE_CHANGE only; each must declare every window of the derived feature (or, for a
 *       windowless derived feature, be windowless itself).
 *   <li>{@code lagDays}: windowless LAST only: the value as it was visible at D − lag instead of D.
 * </ul>
 */
public record FeatureSpec(
    String name,
    Entity entity,
    String filter,
    Aggregate aggregate,
    String value,
    List<Integer> windows,
    String numerator,
    String denominator,
    Integer lagDays) {

  /** The entity a feature describes, and the event column that identifies it. */
  public enum Entity {
    USER("user_id"),
    ITEM("item_id");

    private final String idColumn;

    Entity(String idColumn) {
      this.idColumn = idColumn;
    }

    public String idColumn() {
      return idColumn;
    }
  }

  /** The aggregates a feature can declare; semantics in docs/features.md. */
  public enum Aggregate {
    COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT, LAST, TOP_SHARE, DAYS_SINCE_LAST, RATIO, RELATIVE_CHANGE, ATTRIBUTE;

    boolean needsValue() {
      return this != COUNT && takesValue();
    }

    boolean takesValue() {
      return !isDerived() && this != DAYS_SINCE_LAST;
    }

    /** Computed from two other features rather than from events. */
    public boolean isDerived() {
      return this == RATIO || this == RELATIVE_CHANGE;
    }

    /** May be declared without windows (then over the whole visible history, or not windowed at all). */
    boolean mayBeWindowless() {
      return this == DAYS_SINCE_LAST || this == LAST || this == ATTRIBUTE || isDerived();
    }
  }

  /** Longest window accepted (ten years); longer windows are almost certainly a unit mistake. */
  public static final int MAX_WINDOW_DAYS = 3650;

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  public FeatureSpec {
    // Defensive copy that keeps null elements, so that validate() can report them instead of an NPE.
    windows = windows == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(windows));
  }

  /** A feature without a lag. */
  public FeatureSpec(String name, Entity entity, String filter, Aggregate aggregate, String value,
      List<Integer> windows, String numerator, String denominator) {
    this(name, entity, filter, aggregate, value, windows, numerator, denominator, null);
  }

  /** An event aggregate (COUNT … DAYS_SINCE_LAST), or an ATTRIBUTE when given that aggregate. */
  public static FeatureSpec of(String name, Entity entity, String filter, Aggregate aggregate, String value,
      Integer... windows) {
    return new FeatureSpec(name, entity, filter, aggregate, value, Arrays.asList(windows), null, null);
  }

  /** A RATIO of two other declared features, per window. */
  public static FeatureSpec ratio(String name, Entity entity, String numerator, String denominator,
      Integer... windows) {
    return new FeatureSpec(name, entity, null, Aggregate.RATIO, null, Arrays.asList(windows), numerator, denominator);
  }

  /** (numerator − denominator) / denominator of two other declared features, per window. */
  public static FeatureSpec relativeChange(String name, Entity entity, String current, String previous,
      Integer... windows) {
    return new FeatureSpec(name, entity, null, Aggregate.RELATIVE_CHANGE, null, Arrays.asList(windows), current,
        previous);
  }

  /** A windowless LAST value as visible {@code lagDays} days before the as-of day. */
  public static FeatureSpec lastLagged(String name, Entity entity, String filter, String value, int lagDays) {
    return new FeatureSpec(name, entity, filter, Aggregate.LAST, value, List.of(), null, null, lagDays);
  }

  /** The filter to apply: a feature without one matches every event. */
  public String effectiveFilter() {
    return isBlank(filter) ? "true" : filter;
  }

  public boolean hasValue() {
    return !isBlank(value);
  }

  /** Output column names, in window order: {@code <name>_<N>d}, or {@code <name>} when windowless. */
  public List<String> outputColumns() {
    if (windows.isEmpty()) {
      return List.of(name);
    }
    List<String> columns = new ArrayList<>();
    for (Integer window : windows) {
      columns.add(columnName(window));
    }
    return columns;
  }

  /** The output column of one window. */
  public String columnName(int window) {
    return name + "_" + window + "d";
  }

  /**
   * Checks this spec on its own (names, windows, which fields the aggregate takes, expression syntax).
   * Checks across specs (duplicates, ratio operands) are in {@link RollingFeatures#of}.
   */
  public void validate() {
    if (name == null || !NAME.matcher(name).matches()) {
      throw invalid(name, "name must be lower_snake_case ([a-z][a-z0-9_]*), got " + quoted(name));
    }
    if (entity == null) {
      throw invalid(name, "entity must be one of " + Arrays.toString(Entity.values()) + ", got none");
    }
    if (aggregate == null) {
      throw invalid(name, "aggregate must be one of " + Arrays.toString(Aggregate.values()) + ", got none");
    }
    for (Integer window : windows) {
      if (window == null || window < 1) {
        throw invalid(name, "window must be >= 1 day, got " + window);
      }
      if (window > MAX_WINDOW_DAYS) {
        throw invalid(name, "window must be <= " + MAX_WINDOW_DAYS + " days, got " + window);
      }
    }
    Set<Integer> distinct = new HashSet<>(windows);
    if (distinct.size() != windows.size()) {
      throw invalid(name, "windows must be distinct, got " + windows);
    }
    if (windows.isEmpty() && !aggregate.mayBeWindowless()) {
      throw invalid(name, "aggregate " + aggregate + " needs at least one window, got none");
    }
    if (aggregate.needsValue() && !hasValue()) {
      throw invalid(name, "aggregate " + aggregate + " needs a value expression, got none");
    }
    if (!aggregate.takesValue() && hasValue()) {
      throw invalid(name, "aggregate " + aggregate + " takes no value expression, got " + quoted(value));
    }
    if (aggregate == Aggregate.ATTRIBUTE) {
      if (!windows.isEmpty()) {
        throw invalid(name, "aggregate ATTRIBUTE takes no windows (it reads the entity table), got " + windows);
      }
      if (!isBlank(filter)) {
        throw invalid(name, "aggregate ATTRIBUTE takes no filter (it reads the entity table), got " + quoted(filter));
      }
    }
    if (lagDays != null) {
      if (aggregate != Aggregate.LAST || !windows.isEmpty()) {
        throw invalid(name, "only a windowless LAST takes lag_days, got aggregate " + aggregate + " with windows "
            + windows);
      }
      if (lagDays < 1 || lagDays > MAX_WINDOW_DAYS) {
        throw invalid(name, "lag_days must be in [1, " + MAX_WINDOW_DAYS + "], got " + lagDays);
      }
    }
    if (aggregate.isDerived()) {
      if (!isBlank(filter)) {
        throw invalid(name, "aggregate " + aggregate + " takes no filter (filter its numerator and denominator), got "
            + quoted(filter));
      }
      if (isBlank(numerator)) {
        throw invalid(name, "aggregate " + aggregate + " needs a numerator feature, got none");
      }
      if (isBlank(denominator)) {
        throw invalid(name, "aggregate " + aggregate + " needs a denominator feature, got none");
      }
    } else if (!isBlank(numerator) || !isBlank(denominator)) {
      throw invalid(name, "only aggregates RATIO and RELATIVE_CHANGE take a numerator and denominator, got aggregate "
          + aggregate + " with numerator " + quoted(numerator) + " and denominator " + quoted(denominator));
    }
    checkSyntax("filter", filter);
    checkSyntax("value", value);
  }

  private void checkSyntax(String field, String expression) {
    if (isBlank(expression)) {
      return;
    }
    try {
      functions.expr(expression);
    } catch (Exception e) { // ParseException is a checked AnalysisException thrown from Scala
      throw invalid(name, field + " is not a valid Spark SQL expression, got " + quoted(expression) + " ("
          + RehearsalException.firstLine(e.getMessage(), "no detail") + ")");
    }
  }

  static RehearsalException invalid(String feature, String cause) {
    return RehearsalException.invalidInput("Cannot compute feature " + quoted(feature), cause, null);
  }

  static String quoted(String text) {
    return text == null ? "none" : "'" + text + "'";
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
