package io.rehearsal.transforms.features;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.util.Arrays;
import java.util.List;
import org.junit.Assert;
import org.junit.Test;

/** Spec validation: every message names the feature and the field, with the actual value. No Spark. */
public class FeatureSpecValidationTest {

  private static final Entity USER = Entity.USER;

  private static final FeatureSpec PURCHASES = FeatureSpec.of("purchases", USER, "event_type = 'purchase'",
      Aggregate.COUNT, null, 7, 30);
  private static final FeatureSpec VIEWS = FeatureSpec.of("views", USER, "event_type = 'view'",
      Aggregate.COUNT, null, 7);

  @Test
  public void singleSpecErrorsNameFeatureFieldAndValue() {
    assertRejected("Cannot compute feature 'user_revenue': window must be >= 1 day, got 0",
        FeatureSpec.of("user_revenue", USER, "event_type = 'purchase'", Aggregate.SUM, "quantity * unit_price", 7, 0));
    assertRejected("Cannot compute feature 'user_revenue': window must be >= 1 day, got null",
        FeatureSpec.of("user_revenue", USER, null, Aggregate.SUM, "quantity", 7, null));
    assertRejected("Cannot compute feature 'long_one': window must be <= 3650 days, got 4000",
        FeatureSpec.of("long_one", USER, null, Aggregate.COUNT, null, 4000));
    assertRejected("Cannot compute feature 'f': windows must be distinct, got [7, 30, 7]",
        FeatureSpec.of("f", USER, null, Aggregate.COUNT, null, 7, 30, 7));
    assertRejected("Cannot compute feature 'f': aggregate COUNT needs at least one window, got none",
        FeatureSpec.of("f", USER, null, Aggregate.COUNT, null));
    assertRejected("Cannot compute feature 'User Revenue': name must be lower_snake_case ([a-z][a-z0-9_]*), "
        + "got 'User Revenue'", FeatureSpec.of("User Revenue", USER, null, Aggregate.COUNT, null, 7));
    assertRejected("Cannot compute feature none: name must be lower_snake_case ([a-z][a-z0-9_]*), got none",
        FeatureSpec.of(null, USER, null, Aggregate.COUNT, null, 7));
    assertRejected("Cannot compute feature 'f': entity must be one of [USER, ITEM], got none",
        FeatureSpec.of("f", null, null, Aggregate.COUNT, null, 7));
    assertRejected("Cannot compute feature 'f': aggregate must be one of [COUNT, SUM, AVG, MIN, MAX, "
        + "COUNT_DISTINCT, LAST, TOP_SHARE, DAYS_SINCE_LAST, RATIO, RELATIVE_CHANGE, ATTRIBUTE], got none",
        FeatureSpec.of("f", USER, null, null, null, 7));
    assertRejected("Cannot compute feature 'age': aggregate ATTRIBUTE takes no windows (it reads the entity table), "
        + "got [7]", FeatureSpec.of("age", Entity.ITEM, null, Aggregate.ATTRIBUTE, "launch_ts", 7));
    assertRejected("Cannot compute feature 'price': only a windowless LAST takes lag_days, got aggregate MAX with "
        + "windows [7]", new FeatureSpec("price", Entity.ITEM, null, Aggregate.MAX, "unit_price", List.of(7), null,
        null, 30));
    assertRejected("Cannot compute feature 'price': lag_days must be in [1, 3650], got 0",
        FeatureSpec.lastLagged("price", Entity.ITEM, null, "unit_price", 0));
    assertRejected("Cannot compute feature 'share': aggregate TOP_SHARE needs a value expression, got none",
        FeatureSpec.of("share", USER, null, Aggregate.TOP_SHARE, null, 30));
    assertRejected("Cannot compute feature 'f': aggregate MAX needs a value expression, got none",
        FeatureSpec.of("f", USER, null, Aggregate.MAX, "  ", 7));
    assertRejected("Cannot compute feature 'f': aggregate DAYS_SINCE_LAST takes no value expression, got 'quantity'",
        FeatureSpec.of("f", USER, null, Aggregate.DAYS_SINCE_LAST, "quantity"));
    assertRejected("Cannot compute feature 'conv': aggregate RATIO takes no value expression, got 'quantity'",
        new FeatureSpec("conv", USER, null, Aggregate.RATIO, "quantity", List.of(7), "purchases", "views"));
    assertRejected("Cannot compute feature 'conv': aggregate RATIO takes no filter (filter its numerator and "
        + "denominator), got 'quantity > 0'",
        new FeatureSpec("conv", USER, "quantity > 0", Aggregate.RATIO, null, List.of(7), "purchases", "views"));
    assertRejected("Cannot compute feature 'conv': aggregate RATIO needs a denominator feature, got none",
        FeatureSpec.ratio("conv", USER, "purchases", null, 7));
    assertRejected("Cannot compute feature 'f': only aggregates RATIO and RELATIVE_CHANGE take a numerator and denominator, got "
        + "aggregate COUNT with numerator 'a' and denominator none",
        new FeatureSpec("f", USER, null, Aggregate.COUNT, null, List.of(7), "a", null));
  }

  @Test
  public void expressionSyntaxIsCheckedUpFront() {
    RehearsalException e = rejected(FeatureSpec.of("f", USER, "event_type = ", Aggregate.COUNT, null, 7));
    String prefix = "Cannot compute feature 'f': filter is not a valid Spark SQL expression, got 'event_type = ' (";
    Assert.assertTrue(e.getMessage(), e.getMessage().startsWith(prefix) && e.getMessage().endsWith(")"));
    e = rejected(FeatureSpec.of("f", USER, null, Aggregate.SUM, "quantity *", 7));
    Assert.assertTrue(e.getMessage(), e.getMessage().startsWith(
        "Cannot compute feature 'f': value is not a valid Spark SQL expression, got 'quantity *' ("));
  }

  @Test
  public void crossSpecErrors() {
    assertRejected("Cannot compute feature 'views': the name is declared more than once",
        PURCHASES, VIEWS, FeatureSpec.of("views", Entity.ITEM, null, Aggregate.COUNT, null, 30));
    assertRejected("Cannot compute feature 'conv': numerator 'buys' is not a declared feature",
        PURCHASES, VIEWS, FeatureSpec.ratio("conv", USER, "buys", "views", 7));
    assertRejected("Cannot compute feature 'conv': denominator 'views' has no 30-day window (it declares [7])",
        PURCHASES, VIEWS, FeatureSpec.ratio("conv", USER, "purchases", "views", 7, 30));
    assertRejected("Cannot compute feature 'conv': denominator 'item_views' is a ITEM feature, the ratio is a "
        + "USER feature", PURCHASES, FeatureSpec.of("item_views", Entity.ITEM, null, Aggregate.COUNT, null, 7),
        FeatureSpec.ratio("conv", USER, "purchases", "item_views", 7));
    assertRejected("Cannot compute feature 'conv2': numerator 'conv' is a RATIO feature; RATIO takes event aggregates "
        + "(COUNT, SUM, AVG, MIN, MAX, COUNT_DISTINCT, LAST, TOP_SHARE, DAYS_SINCE_LAST)", PURCHASES, VIEWS,
        FeatureSpec.ratio("conv", USER, "purchases", "views", 7), FeatureSpec.ratio("conv2", USER, "conv", "views", 7));
    assertRejected("Cannot compute feature 'a': output column 'a_7d' is also produced by feature 'a_7d'",
        FeatureSpec.of("a_7d", USER, null, Aggregate.DAYS_SINCE_LAST, null),
        FeatureSpec.of("a", USER, null, Aggregate.COUNT, null, 7));
    assertRejected("Cannot compute feature 'as_of_date': output column 'as_of_date' is reserved",
        FeatureSpec.of("as_of_date", USER, null, Aggregate.DAYS_SINCE_LAST, null));
    assertRejected("Cannot compute feature 'change': numerator 'purchases' has windows [7, 30]; a windowless "
        + "RELATIVE_CHANGE needs windowless operands", PURCHASES, VIEWS,
        FeatureSpec.relativeChange("change", USER, "purchases", "views"));
    assertRejected("Cannot compute features: no feature is declared");
  }

  @Test
  public void validSpecsAreAcceptedAndNameTheirColumns() {
    FeatureSpec since = FeatureSpec.of("since_purchase", USER, "event_type = 'purchase'", Aggregate.DAYS_SINCE_LAST,
        null);
    RollingFeatures features = RollingFeatures.of(List.of(PURCHASES, VIEWS, since,
        FeatureSpec.ratio("conv", USER, "purchases", "views", 7),
        FeatureSpec.of("item_views", Entity.ITEM, "event_type = 'view'", Aggregate.COUNT, null, 30)));
    assertEquals(List.of("user_id", "as_of_date", "purchases_7d", "purchases_30d", "views_7d", "since_purchase",
        "conv_7d"), features.outputColumns(USER));
    assertEquals(List.of("item_id", "as_of_date", "item_views_30d"), features.outputColumns(Entity.ITEM));
  }

  private static void assertRejected(String message, FeatureSpec... specs) {
    RehearsalException e = rejected(specs);
    assertEquals(message, e.getMessage());
    assertEquals(RehearsalException.Kind.INVALID_INPUT, e.kind());
    assertEquals(2, e.exitCode());
  }

  private static RehearsalException rejected(FeatureSpec... specs) {
    try {
      RollingFeatures.of(Arrays.asList(specs));
    } catch (RehearsalException e) {
      return e;
    }
    Assert.fail("expected the specs to be rejected: " + Arrays.toString(specs));
    return null;
  }
}
