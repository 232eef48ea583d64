package io.rehearsal.transforms.ranking;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

/** Four items around a cutoff of 2025-06-18 (00:00 UTC), the available ones read off by hand. */
public class AvailableItemsTest extends SparkTestBase {

  @Test
  public void itemsLaunchedBeforeTheCutoffOrAtAnUnknownTimeAreAvailable() {
    StructType schema = new StructType().add("item_id", DataTypes.StringType).add("launch_ts", DataTypes.TimestampType);
    Dataset<Row> catalog = spark().createDataFrame(List.of(
        RowFactory.create("old", Timestamp.from(Instant.parse("2025-01-01T00:00:00Z"))),
        RowFactory.create("eve", Timestamp.from(Instant.parse("2025-06-17T23:59:59Z"))),
        RowFactory.create("at-cutoff", Timestamp.from(Instant.parse("2025-06-18T00:00:00Z"))),
        RowFactory.create("unknown", null)), schema);
    List<String> ids = AvailableItems.at(catalog, LocalDate.parse("2025-06-18")).orderBy("item_id").collectAsList()
        .stream().map(r -> r.getString(0)).toList();
    Assert.assertEquals(List.of("eve", "old", "unknown"), ids);
    Assert.assertEquals("without launch times every item", 4,
        AvailableItems.at(catalog.drop("launch_ts"), LocalDate.parse("2025-06-18")).count());
  }
}
