package io.rehearsal.transforms.stats;

import static org.apache.spark.sql.functions.col;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Test;

public class ExactMeanTest extends SparkTestBase {

  private static final StructType SCHEMA = new StructType().add("v", DataTypes.DoubleType, true);

  private Double mean(List<Double> values, int partitions) {
    List<Row> rows = new ArrayList<>();
    values.forEach(v -> rows.add(RowFactory.create(v)));
    Dataset<Row> df = spark().createDataFrame(rows, SCHEMA).repartition(partitions);
    return ExactMean.of(df, col("v"));
  }

  @Test
  public void theSameValuesInAnyOrderAndPartitioningGiveTheSameMean() {
    // 0.1 + 0.2 + 0.3 in doubles depends on the order: (0.1 + 0.2) + 0.3 = 0.6000000000000001, 0.1 + (0.2 + 0.3) = 0.6.
    assertNotEquals((0.1 + 0.2) + 0.3, 0.1 + (0.2 + 0.3), 0);
    Random random = new Random(7);
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      values.add(random.nextDouble() / (1 + random.nextInt(30)));
    }
    Double first = mean(values, 1);
    for (int partitions : new int[] {2, 3, 7}) {
      Collections.shuffle(values, random);
      assertEquals(first, mean(values, partitions));
    }
  }

  @Test
  public void theMeanOfHandPickedValuesLeavesNullsOutAndIsNullWithoutValues() {
    // (0.1 + 0.2 + 0.3 + 0.6) / 4 = 0.3 exactly in decimals; the null is not counted.
    assertEquals(0.3, mean(java.util.Arrays.asList(0.1, 0.2, null, 0.3, 0.6), 2), 0);
    assertEquals(-2.5, mean(List.of(-2.0, -3.0), 2), 0);
    assertNull(mean(java.util.Arrays.asList((Double) null), 1));
    assertNull(mean(List.of(), 1));
  }

  @Test
  public void aValueBeyondTheDecimalsRangeFailsInsteadOfBeingLeftOut() {
    // 1e21 does not fit DECIMAL(38,18) (20 digits before the point): the cast would give null and drop the value.
    ArithmeticException e = assertThrows(ArithmeticException.class, () -> mean(List.of(1.0, 1e21), 2));
    assertEquals("Cannot average 2 values exactly: a value or their sum is beyond 1e20, the range of DECIMAL(38,18)",
        e.getMessage());
  }
}
