package io.rehearsal.pipelines.io;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** The narrow storage interface jobs use; transforms never see it. */
public interface TableStore {

  /** Whether a table exists at the path (for Delta: has a transaction log). */
  boolean exists(String path);

  /** Whether anything (a file or a folder, in any format) is at the path. */
  boolean pathExists(String path);

  /**
   * Resolves the version a source is read at, once: its pinned version if it has one (checked to be
   * readable), otherwise the latest. Non-Delta sources have no version and are returned unchanged.
   */
  TableSource pin(TableSource source);

  /**
   * When a pinned Delta version was committed, by its writer's clock (the commit's own record, so a copied table
   * keeps it); null for sources without versions and for versions whose commit file log cleanup removed.
   */
  java.time.Instant committedAt(TableSource pinned);

  /**
   * Why nothing can be written under {@code folder}, or empty when something can: a probe file is created and
   * removed in the folder, or, on a file system, in its nearest existing ancestor (so checking creates no folder).
   * Unreachable storage is a reason too, not an exception: the caller reports it with the field that names it.
   */
  java.util.Optional<String> cannotWriteUnder(String folder);

  /** Reads a source; a Delta source must have been pinned. */
  Dataset<Row> read(TableSource source);

  /**
   * The data files a pinned Delta version references (whether they still exist is the caller's question); fails
   * with the engine's own error when the version cannot be read at all.
   */
  List<String> dataFiles(TableSource pinned);

  /**
   * Writes rows as one atomic Delta commit. With {@code replaceWhere} only the rows matching it are
   * replaced (idempotent re-runs); without it the table is overwritten, schema included. The commit's
   * userMetadata is the run id.
   */
  CommitInfo write(Dataset<Row> rows, String path, String replaceWhere, List<String> partitionBy, String runId);

  /** Overwrites the table with rows held on the driver (a job's small result table), written as one file. */
  CommitInfo overwrite(List<Row> rows, StructType schema, String path, String runId);
}
