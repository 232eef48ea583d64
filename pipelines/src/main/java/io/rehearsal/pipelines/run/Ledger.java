package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.io.DeltaLedgerStore;
import io.rehearsal.pipelines.io.LedgerStore;
import io.rehearsal.transforms.RehearsalException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The append-only run ledger: one row per entry in a {@link LedgerStore} (a Delta table under the warehouse,
 * {@code delta.appendOnly=true}), each entry holding the SHA-256 of the previous one (a hash chain). Each append is
 * an idempotent transaction ({@code txnAppId} = the ledger, {@code txnVersion} = the sequence number), so of two
 * writers that read the same head only one commits that number: the other gets a concurrent transaction conflict,
 * or its write is skipped as already done; either way it reads its entry back, sees it is not there, and appends
 * again after the new head instead of forking the chain.
 */
public final class Ledger {

  public static final StructType SCHEMA = new StructType()
      .add("seq", DataTypes.LongType, false)
      .add("run_id", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("recorded_at", DataTypes.StringType, false)
      .add("prev_sha256", DataTypes.StringType, false)
      .add("entry", DataTypes.StringType, false)
      .add("sha256", DataTypes.StringType, false);

  private static final int MAX_ATTEMPTS = 5;
  private static final String TXN_APP_ID = "rehearsal-run-ledger";

  private final LedgerStore store;

  public Ledger(SparkSession spark, String warehouse) {
    this(new DeltaLedgerStore(spark, stripSlash(RunWorkspace.absolute(warehouse)) + "/ledger"));
  }

  public Ledger(LedgerStore store) {
    this.store = store;
  }

  public String path() {
    return store.path();
  }

  public boolean exists() {
    return store.exists();
  }

  /** Appends an entry after the current head; returns it with its sequence number and hashes. */
  public LedgerEntry append(String runId, String kind, JsonNode body) {
    store.createIfMissing(SCHEMA);
    for (int attempt = 1; ; attempt++) {
      LedgerEntry head = head();
      long seq = head == null ? 0 : head.seq() + 1;
      String prev = head == null ? LedgerEntry.GENESIS : head.sha256();
      LedgerEntry entry = LedgerEntry.create(seq, runId, kind, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(),
          prev, body);
      Row row = RowFactory.create(entry.seq(), entry.runId(), entry.kind(), entry.recordedAt(), entry.prevSha256(),
          CanonicalJson.of(entry.content()), entry.sha256());
      RuntimeException conflict = null;
      try {
        store.append(row, SCHEMA, TXN_APP_ID, seq, runId);
        if (store.contains(entry.seq(), entry.sha256())) {
          return entry;
        }
      } catch (LedgerStore.Conflict e) {
        conflict = e.getCause() instanceof RuntimeException cause ? cause : e;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw RehearsalException.runtime("Cannot append to the run ledger at " + store.path(),
            "other runs appended at the same time " + attempt + " times in a row",
            "retry the run; if it keeps happening, fewer runs should share this warehouse's ledger at once", conflict);
      }
    }
  }

  /** The last entry, or null: only its row is read, not the whole ledger. */
  private LedgerEntry head() {
    Row last = store.last();
    return last == null ? null : fromRow(last);
  }

  /** Every entry in sequence order, as stored (the stored hash, the stored JSON). */
  public List<LedgerEntry> entries() {
    if (!exists()) {
      return List.of();
    }
    List<LedgerEntry> out = new ArrayList<>();
    for (Row r : rows()) {
      out.add(fromRow(r));
    }
    return out;
  }

  /** The stored rows in sequence order. */
  List<Row> rows() {
    return store.rows(null);
  }

  /** The table's properties and history, for verification. */
  LedgerStore store() {
    return store;
  }

  static LedgerEntry fromRow(Row r) {
    JsonNode content;
    try {
      content = CanonicalJson.parse(r.getAs("entry"));
    } catch (IllegalArgumentException e) {
      content = null;
    }
    JsonNode body = content == null ? null : content.get("body");
    return new LedgerEntry(r.getAs("seq"), r.getAs("run_id"), r.getAs("kind"), r.getAs("recorded_at"),
        r.getAs("prev_sha256"), body, r.getAs("sha256"));
  }

  /** One run's entries in sequence order (filtered by the store, not on the driver). */
  public List<LedgerEntry> entriesOf(String runId) {
    if (!exists()) {
      return List.of();
    }
    return store.rows(runId).stream().map(Ledger::fromRow).toList();
  }

  /** The run ids of the last entries, most recent last (at most {@code limit}). */
  public List<String> recentRuns(int limit) {
    if (!exists()) {
      return List.of();
    }
    List<String> runs = new ArrayList<>(store.recentRuns(limit));
    Collections.reverse(runs);
    return runs;
  }

  static String stripSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
