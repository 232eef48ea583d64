package io.rehearsal.transforms.hash;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.xxhash64;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Order-independent content hash of a DataFrame: the exact (DECIMAL) sum of per-row xxhash64 values
 * plus the row count, folded with the sorted column list into SHA-256. Independent of row order,
 * partitioning, core count and shuffle partitions; any changed value, added or removed row changes it.
 */
public final class ContentHash {

  private ContentHash() {}

  /** Returns a 64-hex-character SHA-256 of the table's content; one Spark pass. */
  public static String of(Dataset<Row> df) {
    String[] columns = df.columns().clone();
    Arrays.sort(columns);
    Column[] cols = Arrays.stream(columns).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    // Two differently seeded hashes per row make accidental cancellation in the sum negligible.
    Column h1 = xxhash64(cols).cast("decimal(38,0)");
    Column[] salted = Arrays.copyOf(cols, cols.length + 1);
    salted[cols.length] = lit("rehearsal-content-hash-v1");
    Column h2 = xxhash64(salted).cast("decimal(38,0)");
    Row r = df.agg(count(lit(1)), sum(h1), sum(h2)).first();
    String canonical = String.join(",", columns) + "|" + r.getLong(0) + "|" + r.get(1) + "|" + r.get(2);
    return sha256Hex(canonical);
  }

  public static String sha256Hex(String text) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] digest = md.digest(text.getBytes(StandardCharsets.UTF_8));
      StringBuilder sb = new StringBuilder(digest.length * 2);
      for (byte b : digest) {
        sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available in this JVM", e);
    }
  }
}
