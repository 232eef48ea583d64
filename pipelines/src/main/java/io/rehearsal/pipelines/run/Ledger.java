package io.rehearsal.pipelines.run;

import static org.apache.spark.sql.functions.col;

import com.fasterxml.jackson.databind.JsonNode;
import io.delta.tables.DeltaTable;
import io.rehearsal.transforms.RehearsalException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import io.delta.exceptions.DeltaConcurrentModificationException;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The append-only run ledger: a Delta table ({@code delta.appendOnly=true}) under the warehouse, one row
 * per entry, each entry holding the SHA-256 of the previous one (a hash chain). Each append carries Delta's
 * idempotent-write transaction id ({@code txnAppId} = the ledger, {@code txnVersion} = the sequence number),
 * so of two writers that read the same head only one commits that number: the other gets a concurrent
 * transaction conflict, or its write is skipped as already done; either way it reads its entry back, sees
 * it is not there, and appends again after the new head instead of forking the chain.
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

  private final SparkSession spark;
  private final String path;

  public Ledger(SparkSession spark, String warehouse) {
    this.spark = spark;
    this.path = stripSlash(RunWorkspace.absolute(warehouse)) + "/ledger";
  }

  public String path() {
    return path;
  }

  public boolean exists() {
    return DeltaTable.isDeltaTable(spark, path);
  }

  /** Appends an entry after the current head; returns it with its sequence number and hashes. */
  public LedgerEntry append(String runId, String kind, JsonNode body) {
    createIfMissing();
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
        spark.createDataFrame(List.of(row), SCHEMA).coalesce(1).write().format("delta").mode("append")
            .option("txnAppId", TXN_APP_ID).option("txnVersion", seq).option("userMetadata", runId).save(path);
        if (landed(entry)) {
          return entry;
        }
      } catch (DeltaConcurrentModificationException e) {
        conflict = e;
      }
      if (attempt >= MAX_ATTEMPTS) {
        throw RehearsalException.runtime("Cannot append to the run ledger at " + path,
            "other runs appended at the same time " + attempt + " times in a row",
            "retry the run; if it keeps happening, fewer runs should share this warehouse's ledger at once", conflict);
      }
    }
  }

  private boolean landed(LedgerEntry entry) {
    return spark.read().format("delta").load(path).where(col("seq").equalTo(entry.seq()))
        .where(col("sha256").equalTo(entry.sha256())).limit(1).count() == 1;
  }

  /** The last entry, or null: only its row is collected, not the whole ledger. */
  private LedgerEntry head() {
    List<Row> last = spark.read().format("delta").load(path).orderBy(col("seq").desc(), col("sha256").desc()).limit(1)
        .collectAsList();
    return last.isEmpty() ? null : fromRow(last.get(0));
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
    return spark.read().format("delta").load(path).orderBy(col("seq"), col("sha256")).collectAsList();
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

  /** One run's entries in sequence order (filtered by Spark, not on the driver). */
  public List<LedgerEntry> entriesOf(String runId) {
    if (!exists()) {
      return List.of();
    }
    return spark.read().format("delta").load(path).where(col("run_id").equalTo(runId)).orderBy(col("seq"), col("sha256"))
        .collectAsList().stream().map(Ledger::fromRow).toList();
  }

  /** The run ids of the last entries, most recent last (at most {@code limit}). */
  public List<String> recentRuns(int limit) {
    if (!exists()) {
      return List.of();
    }
    List<String> runs = new ArrayList<>();
    for (Row r : spark.read().format("delta").load(path).groupBy("run_id").agg(org.apache.spark.sql.functions.max("seq")
        .as("last")).orderBy(col("last").desc()).limit(limit).collectAsList()) {
      runs.add(0, r.getString(0));
    }
    return runs;
  }

  private void createIfMissing() {
    if (exists()) {
      return;
    }
    DeltaTable.createIfNotExists(spark).location(path).addColumns(SCHEMA)
        .property("delta.appendOnly", "true").execute();
  }

  static String stripSlash(String p) {
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
