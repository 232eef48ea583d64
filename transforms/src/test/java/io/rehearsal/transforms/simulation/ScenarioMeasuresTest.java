package io.rehearsal.transforms.simulation;

import static org.junit.Assert.assertEquals;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;

/** List churn and injected SKUs of a scenario's lists, counted by hand from the rows below (k = 2). */
public class ScenarioMeasuresTest extends SparkTestBase {

  private static final StructType LISTS = new StructType().add("user_id", DataTypes.StringType)
      .add("item_id", DataTypes.StringType).add("rank", DataTypes.IntegerType);

  private Dataset<Row> lists(Object[]... rows) {
    return spark().createDataFrame(Arrays.stream(rows).map(RowFactory::create).toList(), LISTS);
  }

  @Test
  public void churnIsTheMeanShareOfTheUnchangedTopKThatLeftAndInjectedSkusAreCounted() {
    Dataset<Row> unchanged = lists(new Object[] {"u1", "a", 1}, new Object[] {"u1", "b", 2},
        new Object[] {"u1", "c", 3}, new Object[] {"u2", "a", 1}, new Object[] {"u2", "b", 2});
    // u1 keeps a and loses b to the new SKU n1 (b drops to rank 3, outside k = 2): half its top 2 left.
    // u2 keeps both, in another order: nothing left.
    Dataset<Row> scenario = lists(new Object[] {"u1", "a", 1}, new Object[] {"u1", "n1", 2},
        new Object[] {"u1", "b", 3}, new Object[] {"u2", "b", 1}, new Object[] {"u2", "a", 2});
    Map<String, Double> m = ScenarioMeasures.listMeasures(scenario, unchanged, Set.of("n1", "n2"), 2);
    assertEquals(0.25, m.get("list_churn@2"), 0); // (1/2 + 0) / 2
    assertEquals(1.0, m.get("injected_skus_surfaced"), 0); // n1 only
    assertEquals(0.25, m.get("injected_sku_slots@2"), 0); // 1 of 4 top-2 slots
    assertEquals(List.of("list_churn@2", "injected_skus_surfaced", "injected_sku_slots@2"), List.copyOf(m.keySet()));

    Map<String, Double> same = ScenarioMeasures.listMeasures(unchanged, unchanged, Set.of(), 2);
    assertEquals(Map.of("list_churn@2", 0.0, "injected_skus_surfaced", 0.0, "injected_sku_slots@2", 0.0), same);
  }
}
