package io.rehearsal.pipelines.io;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * Where the run ledger's rows live: one append-only table, read in sequence order. The ledger (hash chain,
 * retries) is storage-free logic over this; {@link DeltaLedgerStore} keeps it in Delta, and a test can keep it
 * in memory.
 */
public interface LedgerStore {

  /** One version of the table's history: its number and the operation that made it (WRITE, CREATE TABLE, …). */
  record Change(long version, String operation) {}

  /** Another writer committed first; {@code getCause()} is the store's own conflict, if it had one. */
  final class Conflict extends RuntimeException {
    public Conflict(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Where the table is. */
  String path();

  boolean exists();

  /** Creates the table, append-only, with this schema unless it exists. */
  void createIfMissing(StructType schema);

  /**
   * Appends one row as the idempotent transaction (appId, version) with the run id as commit metadata; a transaction
   * version already committed is skipped. Throws {@link Conflict} when a concurrent writer committed first (the
   * caller reads the head again and retries).
   */
  void append(Row row, StructType schema, String txnAppId, long txnVersion, String userMetadata);

  /** Whether a row with this sequence number and hash is stored. */
  boolean contains(long seq, String sha256);

  /** The row with the highest (seq, sha256), or null when the table is empty: one row read, not the table. */
  Row last();

  /** Every row in (seq, sha256) order; one run's rows when {@code runId} is not null (filtered by the store). */
  List<Row> rows(String runId);

  /** The run ids whose last entries are the most recent, most recent first, at most {@code limit}. */
  List<String> recentRuns(int limit);

  /** The table's properties (delta.appendOnly …). */
  Map<String, String> properties();

  /** The table's history, oldest first. */
  List<Change> history();
}
