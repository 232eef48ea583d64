package io.rehearsal.transforms.simulation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.Columns;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Applies a {@link CatalogScenario} to a catalog (item_id, category, price, optional launch_ts and other
 * columns) and to the held-out truth. No demand model: the same users buy the same items in the horizon,
 * so a price shift changes the value of those purchases by the same factor, and a retired item's
 * interactions stay in the truth (a model that relied on it loses those hits).
 */
public final class CatalogChanges {

  private CatalogChanges() {}

  /**
   * The changed catalog: retired items removed, shifted categories repriced (rounded to the price column's
   * scale), new items appended with the other columns null.
   *
   * @param medianPrice each category's median price, used for new items without a declared price
   */
  public static Dataset<Row> apply(Dataset<Row> catalog, CatalogScenario scenario, Set<String> retired,
      Map<String, Double> medianPrice, LocalDate cutoff) {
    DataType priceType = catalog.schema().apply("price").dataType();
    Dataset<Row> changed = catalog;
    if (!retired.isEmpty()) {
      changed = changed.where(col("item_id").isin(retired.toArray()).unary_$bang());
    }
    for (CatalogScenario.PriceShift shift : scenario.priceShifts()) {
      changed = changed.withColumn("price", when(col("category").equalTo(shift.category()),
          col("price").cast(DataTypes.DoubleType).multiply(shift.factor()).cast(priceType)).otherwise(col("price")));
    }
    if (scenario.newItems().isEmpty()) {
      return changed;
    }
    SparkSession spark = catalog.sparkSession();
    boolean hasLaunch = Arrays.asList(catalog.columns()).contains("launch_ts");
    StructType schema = new StructType().add("item_id", DataTypes.StringType).add("category", DataTypes.StringType)
        .add("price", DataTypes.DoubleType).add("launch_ts", DataTypes.TimestampType);
    Timestamp launched = Timestamp.from(cutoff.minusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant());
    List<Row> rows = new ArrayList<>();
    for (int b = 0; b < scenario.newItems().size(); b++) {
      CatalogScenario.NewItems block = scenario.newItems().get(b);
      double price = block.price() != null ? block.price() : medianPrice.get(block.category());
      for (CatalogScenario.PriceShift shift : scenario.priceShifts()) {
        if (block.price() == null && shift.category().equals(block.category())) {
          price *= shift.factor(); // priced like the category's items after the shift
        }
      }
      for (int i = 1; i <= block.count(); i++) {
        rows.add(RowFactory.create(scenario.newItemId(b, i), block.category(), price, launched));
      }
    }
    Dataset<Row> added = spark.createDataFrame(rows, schema).withColumn("price", col("price").cast(priceType));
    if (!hasLaunch) {
      added = added.drop("launch_ts");
    }
    for (StructField f : catalog.schema().fields()) {
      if (!Arrays.asList(added.columns()).contains(f.name())) {
        added = added.withColumn(f.name(), lit(null).cast(f.dataType()));
      } else {
        added = added.withColumn(f.name(), col(f.name()).cast(f.dataType()));
      }
    }
    return changed.unionByName(added);
  }

  /** The truth with the value of purchases in shifted categories multiplied by the shift's factor. */
  public static Dataset<Row> shiftTruth(Dataset<Row> truth, Dataset<Row> catalog, CatalogScenario scenario) {
    if (scenario.priceShifts().isEmpty()) {
      return truth;
    }
    Column factor = lit(1.0);
    for (CatalogScenario.PriceShift shift : scenario.priceShifts()) {
      factor = when(col("__category").equalTo(shift.category()), factor.multiply(shift.factor())).otherwise(factor);
    }
    return truth.join(catalog.select(col("item_id"), col("category").cast("string").as("__category")),
            Columns.using("item_id"), "left")
        .withColumn("value", col("value").multiply(factor))
        .drop("__category");
  }
}
