package io.rehearsal.pipelines.run;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
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
import org.apache.spark.sql.types.MapType;

/**
 * The Delta tables a run wrote under its workspace, each with its version, rows and content hash. The
 * hash leaves out what differs between two runs of the same manifest by design — the run id and wall
 * times — so equal hashes mean equal content.
 */
public final class OutputTables {

  /** Columns that name the run or time it, not the data. */
  public static final Set<String> PER_RUN_COLUMNS = Set.of("run_id", "seconds");

  /** One output table; {@code table} is its path relative to the workspace. */
  public record Output(String table, String path, long version, long rows, String contentHash) {}

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
      throw io.rehearsal.transforms.RehearsalException.runtime("Cannot list the tables of run folder " + root,
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
   * The rows without the per-run columns; a map column becomes its entries sorted by key (Spark refuses to
   * hash maps: equal maps may iterate in different orders).
   */
  public static Dataset<Row> withoutPerRunColumns(Dataset<Row> rows) {
    Column[] kept = Arrays.stream(rows.schema().fields()).filter(f -> !PER_RUN_COLUMNS.contains(f.name()))
        .map(f -> f.dataType() instanceof MapType
            ? functions.array_sort(functions.map_entries(rows.col("`" + f.name() + "`"))).as(f.name())
            : rows.col("`" + f.name() + "`"))
        .toArray(Column[]::new);
    return rows.select(kept);
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
