package io.rehearsal.transforms.slicing;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

/**
 * Replaces declared columns by {@code sha2(salt || ':' || value, 256)} (nulls stay null) and drops
 * declared columns. The same salt maps the same value to the same pseudonym in every table, so keys
 * such as user_id still join.
 *
 * <p>The hash is a function that holds the salt ({@link Pseudonym}), not Spark's {@code sha2} over a literal: a
 * literal is part of the plan, which Spark shows in its UI, {@code explain}, logs and event logs; a function's
 * state travels only inside the serialized tasks. Same bytes hashed, same pseudonyms.
 */
public final class Pseudonymizer {

  private Pseudonymizer() {}

  public static Dataset<Row> apply(Dataset<Row> table, PrivacySpec privacy, String salt) {
    Set<String> present = new HashSet<>(Arrays.asList(table.columns()));
    Dataset<Row> out = table;
    UserDefinedFunction pseudonym = null;
    for (String column : privacy.pseudonymize()) {
      if (present.contains(column)) {
        if (salt == null || salt.isEmpty()) {
          throw new IllegalArgumentException("A non-empty salt is required to pseudonymize '" + column + "'");
        }
        if (pseudonym == null) {
          pseudonym = udf(new Pseudonym(salt), DataTypes.StringType).withName("pseudonym");
        }
        out = out.withColumn(column, when(col(column).isNull(), lit(null).cast("string"))
            .otherwise(pseudonym.apply(col(column).cast("string").cast("binary"))));
      }
    }
    for (String column : privacy.drop()) {
      if (present.contains(column)) {
        out = out.drop(column);
      }
    }
    return out;
  }

  /**
   * The lower-case hex SHA-256 of the salt's UTF-8 bytes, ':' and a value's bytes (a string's UTF-8 bytes, as
   * Spark's {@code sha2(concat(...))} hashes them); null for null. The digest of the salt and ':' is computed
   * once per task and copied for each value.
   */
  static final class Pseudonym implements UDF1<byte[], String> {
    private static final long serialVersionUID = 1L;
    private final byte[] prefix;
    private transient MessageDigest primed;

    Pseudonym(String salt) {
      this.prefix = (salt + ":").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String call(byte[] value) throws CloneNotSupportedException {
      if (value == null) {
        return null;
      }
      if (primed == null) {
        primed = sha256();
        primed.update(prefix);
      }
      MessageDigest digest = (MessageDigest) primed.clone();
      return HexFormat.of().formatHex(digest.digest(value));
    }

    private static MessageDigest sha256() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java runtime provides SHA-256", e);
      }
    }
  }
}
