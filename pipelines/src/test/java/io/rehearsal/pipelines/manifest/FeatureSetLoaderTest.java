package io.rehearsal.pipelines.manifest;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.Assert;
import org.junit.Test;

/** Feature set files: the shipped default, and every error naming the file and the field. No Spark. */
public class FeatureSetLoaderTest {

  private static final String HEAD = "apiVersion: rehearsal/v1\nkind: FeatureSet\nname: mine\nfeatures:\n";

  private static FeatureSet parse(String yaml) {
    return new FeatureSetLoader().parse("mine.yaml", yaml.getBytes(StandardCharsets.UTF_8));
  }

  private static String rejected(String yaml) {
    try {
      parse(yaml);
    } catch (RehearsalException e) {
      assertEquals(2, e.exitCode());
      return e.getMessage();
    }
    Assert.fail("expected the feature set to be rejected");
    return null;
  }

  @Test
  public void theDefaultSetDeclaresEveryRequiredFeature() {
    FeatureSet set = new FeatureSetLoader().loadDefault();
    List<String> user = set.features().outputColumns(Entity.USER);
    for (String column : List.of("purchases_7d", "revenue_30d", "views_90d", "clicks_7d", "add_to_carts_30d",
        "returns_90d", "distinct_items_7d", "distinct_categories_30d", "sessions_90d", "conversion_rate_7d",
        "avg_order_value_30d", "days_since_last_purchase", "days_since_last_event", "top_category_share_90d")) {
      Assert.assertTrue(column + " in " + user, user.contains(column));
    }
    List<String> item = set.features().outputColumns(Entity.ITEM);
    for (String column : List.of("item_views_7d", "item_purchases_30d", "item_revenue_90d", "item_buyers_7d",
        "item_conversion_rate_30d", "item_price", "item_price_change_30d", "item_days_since_launch", "item_is_new")) {
      Assert.assertTrue(column + " in " + item, item.contains(column));
    }
    assertEquals(set.id(), new FeatureSetLoader().loadDefault().id());
  }

  @Test
  public void addingAFeatureIsConfigAndChangesTheId() {
    FeatureSet one = parse(HEAD + "  - { name: events, entity: user, aggregate: count, windows: [7] }\n");
    FeatureSet reformatted = parse(HEAD + "  # comment\n  - name: events\n    entity: user\n    aggregate: count\n"
        + "    windows: [ 7 ]\n");
    FeatureSet two = parse(HEAD + "  - { name: events, entity: user, aggregate: count, windows: [7] }\n"
        + "  - { name: spend, entity: user, aggregate: sum, value: \"quantity * unit_price\", windows: [30] }\n");
    assertEquals(one.id(), reformatted.id());
    Assert.assertNotEquals(one.id(), two.id());
    assertEquals(List.of("user_id", "as_of_date", "events_7d", "spend_30d"), two.features().outputColumns(Entity.USER));
  }

  @Test
  public void errorsNameTheFileAndTheField() {
    assertEquals("Feature set mine.yaml is invalid (1 problem):\n"
        + "  - features[0].aggregate: expected one of [\"count\",\"sum\",\"avg\",\"min\",\"max\",\"count_distinct\","
        + "\"last\",\"top_share\",\"days_since_last\",\"ratio\",\"relative_change\",\"attribute\"], got 'median'\n"
        + "Fix: correct the fields listed above (reference: docs/features.md, schema: conf/features/feature-set.schema.json)",
        rejected(HEAD + "  - { name: f, entity: user, aggregate: median, windows: [7] }\n"));
    assertEquals("Feature set mine.yaml is invalid: Cannot compute feature 'conv': denominator 'views' is not a "
        + "declared feature. Fix: correct the feature named above (reference: docs/features.md)",
        rejected(HEAD + "  - { name: buys, entity: user, aggregate: count, windows: [7] }\n"
            + "  - { name: conv, entity: user, aggregate: ratio, numerator: buys, denominator: views, windows: [7] }\n"));
    Assert.assertTrue(rejected(HEAD + "  - { name: f, entity: user").startsWith(
        "Feature set mine.yaml is not valid YAML: syntax error at line "));
  }
}
