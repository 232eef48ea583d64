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
import java.util.Map;
import java.util.TreeMap;
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

  /** A group's row count and content hash. */
  public record GroupHash(long rows, String hash) {}

  /** Returns a 64-hex-character SHA-256 of the table's content; one Spark pass. */
  public static String of(Dataset<Row> df) {
    return withRows(df).hash();
  }

  /** The table's row count and content hash, in the same single Spark pass. */
  public static GroupHash withRows(Dataset<Row> df) {
    String[] columns = sortedColumns(df);
    Row r = df.agg(count(lit(1)), rowHashSum(columns, false), rowHashSum(columns, true)).first();
    return new GroupHash(r.getLong(0), sha256Hex(canonical(columns, r.getLong(0), r.get(1), r.get(2))));
  }

  /**
   * Content hash of each group of rows sharing a value of {@code keyColumn} (e.g. one per snapshot_id),
   * all in one Spark pass. Equal to {@link #of} applied to that group alone.
   */
  public static Map<String, GroupHash> perGroup(Dataset<Row> df, String keyColumn) {
    String[] columns = sortedColumns(df);
    Map<String, GroupHash> out = new TreeMap<>();
    for (Row r : df.groupBy(col(keyColumn).cast("string")).agg(count(lit(1)), rowHashSum(columns, false), rowHashSum(columns, true)).collectAsList()) {
      out.put(r.getString(0), new GroupHash(r.getLong(1), sha256Hex(canonical(columns, r.getLong(1), r.get(2), r.get(3)))));
    }
    return out;
  }

  private static String[] sortedColumns(Dataset<Row> df) {
    String[] columns = df.columns().clone();
    Arrays.sort(columns);
    return columns;
  }

  // Two differently seeded hashes per row make accidental cancellation in the sum negligible.
  private static Column rowHashSum(String[] columns, boolean salted) {
    Column[] cols = Arrays.stream(columns).map(c -> col("`" + c + "`")).toArray(Column[]::new);
    if (salted) {
      cols = Arrays.copyOf(cols, cols.length + 1);
      cols[cols.length - 1] = lit("rehearsal-content-hash-v1");
    }
    return sum(xxhash64(cols).cast("decimal(38,0)"));
  }

  private static String canonical(String[] columns, long rows, Object sum1, Object sum2) {
    return String.join(",", columns) + "|" + rows + "|" + sum1 + "|" + sum2;
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
