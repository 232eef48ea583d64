package io.rehearsal.pipelines.run;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructType;

/**
 * The Delta tables a run wrote under its workspace, each with its version, rows and content hash. The
 * hash leaves out what differs between two runs of the same manifest by design — the run id and wall
 * times — so equal hashes mean equal content.
 *
 * <p>Floating-point values enter the hash at {@link #SIGNIFICANT_DIGITS} significant digits, and magnitudes
 * below {@link #ZERO_BELOW} as 0. A sum of doubles depends on the order Spark combines partial sums in, and
 * that order differs between a local session and a cluster (seen: a rank-biased overlap of 0.2853158460178993
 * locally and 0.28531584601789917 on two executors; a difference of two equal sums of -6.9e-18 instead of 0).
 * Exact data — ids, DECIMAL money, counts, strings — is hashed exactly. Rows measuring wall time
 * ({@link #WALL_TIME_METRICS}) are left out like the run id: they differ between any two runs.
 */
public final class OutputTables {

  /** Columns that name the run or time it, not the data. */
  public static final Set<String> PER_RUN_COLUMNS = Set.of("run_id", "seconds");

  /** One output table; {@code table} is its path relative to the workspace. */
  public record Output(String table, String path, long version, long rows, String contentHash) {}

  /**
   * The rules the content hashes follow, stated in every record ({@code hash_scheme}): 2 is this class's (floats
   * and doubles at {@link #SIGNIFICANT_DIGITS} significant digits, magnitudes below {@link #ZERO_BELOW} as 0, maps
   * and float arrays in a canonical order, per-run columns and wall-time rows left out). Records that state none
   * were made under scheme 1, which hashed floating-point values exactly: their hashes of tables holding doubles
   * cannot be compared with scheme 2's. Raise it whenever a change to these rules changes any hash.
   */
  public static final int HASH_SCHEME = 2;
  /** The scheme of records that state none. */
  public static final int HASH_SCHEME_UNSTATED = 1;

  /** Significant digits of a float or double in the content hash. */
  public static final int SIGNIFICANT_DIGITS = 8;
  /** Floats and doubles of a smaller magnitude are hashed as 0: the residue of subtracting equal sums. */
  public static final double ZERO_BELOW = 1e-9;
  /** Values of a {@code metric} column whose rows are timings, not results. */
  public static final Set<String> WALL_TIME_METRICS = Set.of("scoring_time_ratio");

  private OutputTables() {}

  public static List<Output> of(SparkSession spark, TableStore store, String root) {
    List<String> tables = new ArrayList<>();
    String qualifiedRoot;
    try {
      Path base = new Path(root);
      FileSystem fs = base.getFileSystem(spark.sparkContext().hadoopConfiguration());
      qualifiedRoot = fs.makeQualified(base).toString();
      if (fs.exists(base)) {
        collect(fs, base, tables);
      }
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot list the tables of run folder " + root,
          e.toString(), "check that the warehouse is reachable", e);
    }
    tables.sort(null);
    List<Output> out = new ArrayList<>();
    for (String path : tables) {
      String relative = path.substring(Ledger.stripSlash(qualifiedRoot).length() + 1);
      TableSource pinned = store.pin(TableSource.delta(relative, path));
      ContentHash.GroupHash hash = ContentHash.withRows(withoutPerRunColumns(store.read(pinned)));
      out.add(new Output(relative, path, pinned.version(), hash.rows(), hash.hash()));
    }
    return out;
  }

  /**
   * The rows as hashed: without the per-run columns and wall-time rows; a map becomes its entries sorted by key (Spark refuses
   * to hash maps: equal maps may iterate in different orders); floats and doubles, also inside arrays, maps
   * and structs, become text at {@link #SIGNIFICANT_DIGITS} significant digits.
   */
  public static Dataset<Row> withoutPerRunColumns(Dataset<Row> table) {
    Dataset<Row> rows = Arrays.asList(table.columns()).contains("metric")
        ? table.where(functions.coalesce(functions.not(table.col("metric").isin(WALL_TIME_METRICS.toArray())),
            functions.lit(true)))
        : table;
    Column[] kept = Arrays.stream(rows.schema().fields()).filter(f -> !PER_RUN_COLUMNS.contains(f.name()))
        .map(f -> hashable(rows.col("`" + f.name() + "`"), f.dataType()).as(f.name()))
        .toArray(Column[]::new);
    return rows.select(kept);
  }

  private static Column hashable(Column c, DataType type) {
    if (type instanceof DoubleType || type instanceof FloatType) {
      // Also makes -0.0 and 0.0 the same number; NaN and infinities print as words.
      Column value = functions.when(functions.abs(c).lt(ZERO_BELOW), functions.lit(0.0)).otherwise(c.cast("double"));
      return functions.format_string("%." + (SIGNIFICANT_DIGITS - 1) + "e", value);
    }
    if (type instanceof MapType map) {
      StructType entry = new StructType().add("key", map.keyType()).add("value", map.valueType());
      return hashable(functions.array_sort(functions.map_entries(c)), new ArrayType(entry, true));
    }
    if (type instanceof ArrayType array) {
      return needsRounding(array.elementType()) ? functions.transform(c, e -> hashable(e, array.elementType())) : c;
    }
    if (type instanceof StructType struct && needsRounding(struct)) {
      Column[] fields = Arrays.stream(struct.fields())
          .map(f -> hashable(c.getField(f.name()), f.dataType()).as(f.name())).toArray(Column[]::new);
      return functions.when(c.isNull(), functions.lit(null)).otherwise(functions.struct(fields));
    }
    return c;
  }

  private static boolean needsRounding(DataType type) {
    if (type instanceof DoubleType || type instanceof FloatType || type instanceof MapType) {
      return true;
    }
    if (type instanceof ArrayType array) {
      return needsRounding(array.elementType());
    }
    return type instanceof StructType struct && Arrays.stream(struct.fields()).anyMatch(f -> needsRounding(f.dataType()));
  }

  private static void collect(FileSystem fs, Path dir, List<String> tables) throws IOException {
    for (FileStatus s : fs.listStatus(dir)) {
      if (!s.isDirectory()) {
        continue;
      }
      String name = s.getPath().getName();
      if (name.equals("_delta_log")) {
        tables.add(dir.toString());
        return;
      }
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String name = s.getPath().getName();
      if (s.isDirectory() && !name.startsWith("_") && !name.startsWith(".")) {
        collect(fs, s.getPath(), tables);
      }
    }
  }
}
