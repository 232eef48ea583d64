package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sha2;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.execution.ExtendedMode$;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Test;

public class PseudonymizerTest extends SparkTestBase {

  private static final String SALT = "s3cr3t-salt-ü";

  private Dataset<Row> users() {
    StructType schema = new StructType().add("user_id", DataTypes.StringType).add("age", DataTypes.IntegerType)
        .add("full_name", DataTypes.StringType);
    return spark().createDataFrame(List.of(RowFactory.create("u1", 31, "Ann"), RowFactory.create("Zoë 東京", 7, "Bo"),
        RowFactory.create(null, null, "Cy"), RowFactory.create("", 0, "Di")), schema);
  }

  /**
   * The pseudonyms are Spark's own sha2(salt || ':' || value, 256), the expression the snapshots used before the
   * salt left the plan (the other implementation here), for ASCII, multi-byte and empty strings and a number; two
   * values checked by hand too: printf 's3cr3t-salt-ü:u1' | sha256sum, and the same for 'Zoë 東京'.
   */
  @Test
  public void pseudonymsAreSha256OfSaltColonValueAndNullsStayNull() {
    Dataset<Row> users = users();
    Dataset<Row> out = Pseudonymizer.apply(users, new PrivacySpec(List.of("user_id", "age"), List.of("full_name")),
        SALT);
    assertEquals(List.of("user_id", "age"), List.of(out.columns()));
    List<Row> expected = users.select(
        sha2(concat(lit(SALT + ":"), col("user_id").cast("string")), 256).as("user_id"),
        sha2(concat(lit(SALT + ":"), col("age").cast("string")), 256).as("age")).collectAsList();
    List<Row> actual = out.collectAsList();
    assertEquals(expected, actual);
    assertEquals("ece2c9adb1dff1b9d91924c425a5c71b2fbf5c296e9af79ea4845e1f02cc2c2c", actual.get(0).getString(0));
    assertEquals("dfdb90177401d21327b0bdd160d7b623a6f76de8241eaf192060733e22618a56", actual.get(1).getString(0));
    assertNull(actual.get(2).get(0));
    assertNull(actual.get(2).get(1));
  }

  /** Nothing Spark prints about the query (every plan stage, as explain and the UI show it) holds the salt. */
  @Test
  public void theSaltIsInNoPlanOfTheQuery() {
    Dataset<Row> out = Pseudonymizer.apply(users(), new PrivacySpec(List.of("user_id"), List.of()), SALT);
    out.collectAsList();
    String plans = out.queryExecution().toString() + out.queryExecution().executedPlan().treeString()
        + out.queryExecution().explainString(ExtendedMode$.MODULE$);
    assertFalse(plans, plans.contains("s3cr3t"));
    Assert.assertTrue(plans, plans.contains("pseudonym("));
  }
}
