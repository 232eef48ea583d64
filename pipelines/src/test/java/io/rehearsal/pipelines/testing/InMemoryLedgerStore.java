package io.rehearsal.pipelines.testing;

import io.rehearsal.pipelines.io.LedgerStore;
import io.rehearsal.pipelines.run.Ledger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.StructType;

/**
 * A ledger store in memory, for tests of the ledger's logic without Spark IO: rows in a list, transaction versions
 * remembered per app id like Delta's idempotent writes. {@link #beforeAppend} lets a test play a concurrent writer.
 */
public final class InMemoryLedgerStore implements LedgerStore {

  private static final Comparator<Row> ORDER = Comparator.<Row, Long>comparing(r -> r.getAs("seq"))
      .thenComparing(r -> (String) r.getAs("sha256"));

  private final List<Row> rows = new ArrayList<>();
  private final Map<String, Long> committed = new LinkedHashMap<>();
  private final List<Change> history = new ArrayList<>();
  private boolean created;
  private Predicate<Long> beforeAppend = version -> true;

  @Override
  public String path() {
    return "memory://ledger";
  }

  @Override
  public boolean exists() {
    return created;
  }

  @Override
  public void createIfMissing(StructType schema) {
    if (!created) {
      created = true;
      history.add(new Change(0, "CREATE TABLE"));
    }
  }

  /** Called with the version of every append before it commits; returning false makes it lose to another writer. */
  public void beforeAppend(Predicate<Long> check) {
    this.beforeAppend = check;
  }

  @Override
  public void append(Row row, StructType schema, String txnAppId, long txnVersion, String userMetadata) {
    if (!beforeAppend.test(txnVersion)) {
      throw new Conflict("another writer committed version " + txnVersion + " first", null);
    }
    if (committed.containsKey(txnAppId) && committed.get(txnAppId) >= txnVersion) {
      return; // an idempotent write of a version already committed is skipped
    }
    rows.add(withSchema(row, schema));
    history.add(new Change(history.size(), "WRITE"));
    committed.put(txnAppId, txnVersion);
  }

  /** A row of the ledger's schema written by someone else (another writer, or a tamperer). */
  public void insert(Row row) {
    rows.add(withSchema(row, Ledger.SCHEMA));
    history.add(new Change(history.size(), "WRITE"));
  }

  /** Rows as a table gives them back: fields readable by name. */
  private static Row withSchema(Row row, StructType schema) {
    Object[] values = new Object[row.length()];
    for (int i = 0; i < values.length; i++) {
      values[i] = row.get(i);
    }
    return new GenericRowWithSchema(values, schema);
  }

  @Override
  public boolean contains(long seq, String sha256) {
    return rows.stream().anyMatch(r -> (long) r.getAs("seq") == seq && sha256.equals(r.getAs("sha256")));
  }

  @Override
  public Row last() {
    return rows.stream().max(ORDER).orElse(null);
  }

  @Override
  public List<Row> rows(String runId) {
    return rows.stream().filter(r -> runId == null || runId.equals(r.getAs("run_id"))).sorted(ORDER).toList();
  }

  @Override
  public List<String> recentRuns(int limit) {
    Map<String, Long> lastSeq = new LinkedHashMap<>();
    rows.forEach(r -> lastSeq.merge(r.getAs("run_id"), r.getAs("seq"), Math::max));
    return lastSeq.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(limit)
        .map(Map.Entry::getKey).toList();
  }

  @Override
  public Map<String, String> properties() {
    return Map.of("delta.appendOnly", "true");
  }

  @Override
  public List<Change> history() {
    return List.copyOf(history);
  }
}
