package io.rehearsal.pipelines.io;

import io.rehearsal.transforms.hash.ContentHash;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A whole table written as one Delta commit, measured as committed: the rows and content hash come from
 * reading the table back at that version (one Spark pass), not from the DataFrame that was written.
 */
public record WrittenTable(CommitInfo commit, long rows, String contentHash) {

  public static WrittenTable overwrite(TableStore store, String name, Dataset<Row> rows, String path, String runId) {
    CommitInfo commit = store.write(rows, path, null, List.of(), runId);
    ContentHash.GroupHash summary = ContentHash.withRows(store.read(TableSource.delta(name, commit.path()).atVersion(commit.version())));
    return new WrittenTable(commit, summary.rows(), summary.hash());
  }
}
