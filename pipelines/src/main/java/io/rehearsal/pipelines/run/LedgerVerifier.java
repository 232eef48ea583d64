package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.io.LedgerStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Checks a ledger and the record files its runs wrote: each entry's hash against its content, each link to
 * the previous entry, contiguous sequence numbers, the append-only property and the table's history (only
 * appends), and every record file's entries against the ledger's. Findings are data; the caller decides.
 */
public final class LedgerVerifier {

  /** What a verification found: entries and runs checked, the record files compared, and the problems. */
  public record Verification(String ledgerPath, long entries, long runs, long recordFiles, List<String> problems) {
    public boolean intact() {
      return problems.isEmpty();
    }
  }

  private static final Set<String> APPEND_OPERATIONS = Set.of("WRITE", "CREATE TABLE", "CREATE OR REPLACE TABLE");

  private final Ledger ledger;
  private final RunFiles files;
  private final String warehouse;

  public LedgerVerifier(SparkSession spark, String warehouse) {
    this.warehouse = warehouse;
    this.ledger = new Ledger(spark, warehouse);
    this.files = new RunFiles(spark);
  }

  public Verification verify() {
    List<String> problems = new ArrayList<>();
    if (!ledger.exists()) {
      problems.add("no ledger at " + ledger.path() + ": no run has been recorded in this warehouse");
      return new Verification(ledger.path(), 0, 0, 0, problems);
    }
    checkTable(problems);
    List<Row> rows = ledger.rows();
    Map<String, LedgerEntry> bySha = new HashMap<>();
    Map<String, String> recordPaths = new TreeMap<>();
    String prev = LedgerEntry.GENESIS;
    long expectedSeq = 0;
    for (Row r : rows) {
      long seq = r.getAs("seq");
      String where = "entry " + seq + " (run " + r.getAs("run_id") + ", " + r.getAs("kind") + ")";
      if (seq != expectedSeq) {
        problems.add(where + ": sequence number " + seq + " where " + expectedSeq + " was expected"
            + (seq < expectedSeq ? " — two entries share it (concurrent writers forked the chain)" : " — entries are missing"));
      }
      expectedSeq = seq + 1;
      String stored = r.getAs("sha256");
      JsonNode content;
      try {
        content = CanonicalJson.parse(r.getAs("entry"));
      } catch (IllegalArgumentException e) {
        problems.add(where + ": its entry is not valid JSON (" + e.getMessage() + ")");
        prev = stored;
        continue;
      }
      String computed = CanonicalJson.sha256(content);
      if (!computed.equals(stored)) {
        problems.add(where + ": its content was changed after it was written — stored SHA-256 " + stored
            + ", content hashes to " + computed);
      }
      checkColumn(problems, where, "seq", String.valueOf(seq), content.path("seq").asText());
      checkColumn(problems, where, "run_id", r.getAs("run_id"), content.path("run_id").asText());
      checkColumn(problems, where, "kind", r.getAs("kind"), content.path("kind").asText());
      checkColumn(problems, where, "prev_sha256", r.getAs("prev_sha256"), content.path("prev_sha256").asText());
      String linked = content.path("prev_sha256").asText();
      if (!linked.equals(prev)) {
        problems.add(where + ": the chain is broken — it links to previous SHA-256 " + linked
            + " but the entry before it has " + prev);
      }
      prev = stored;
      LedgerEntry entry = Ledger.fromRow(r);
      bySha.put(stored, entry);
      if (LedgerEntry.RESULT.equals(entry.kind())) {
        // Where the run's workspace is in this warehouse (which may have been moved since), not the recorded path.
        recordPaths.put(entry.runId(), new RunWorkspace(files, warehouse, entry.runId()).recordFile());
      }
    }
    long runs = rows.stream().map(r -> (String) r.getAs("run_id")).distinct().count();
    for (Map.Entry<String, String> e : recordPaths.entrySet()) {
      checkRecordFile(problems, e.getKey(), e.getValue(), bySha);
    }
    return new Verification(ledger.path(), rows.size(), runs, recordPaths.size(), problems);
  }

  private void checkTable(List<String> problems) {
    String appendOnly = ledger.store().properties().getOrDefault("delta.appendOnly", "false");
    if (!"true".equals(appendOnly)) {
      problems.add("the ledger table is no longer append-only: delta.appendOnly is '" + appendOnly + "'");
    }
    for (LedgerStore.Change change : ledger.store().history()) {
      if (!APPEND_OPERATIONS.contains(change.operation())) {
        problems.add("ledger table version " + change.version() + " is a " + change.operation()
            + ", not an append: the ledger was changed in place");
      }
    }
  }

  private static void checkColumn(List<String> problems, String where, String column, String stored, String inEntry) {
    if (!String.valueOf(stored).equals(inEntry)) {
      problems.add(where + ": column " + column + " is '" + stored + "' but the hashed entry says '" + inEntry + "'");
    }
  }

  private void checkRecordFile(List<String> problems, String runId, String path, Map<String, LedgerEntry> bySha) {
    if (!files.exists(path)) {
      problems.add("run " + runId + ": its record file " + path + " is missing");
      return;
    }
    JsonNode record;
    try {
      record = CanonicalJson.parse(files.read(path));
    } catch (IllegalArgumentException e) {
      problems.add("run " + runId + ": its record file " + path + " is not valid JSON (" + e.getMessage() + ")");
      return;
    }
    for (JsonNode n : record.path("entries")) {
      LedgerEntry inFile = LedgerEntry.fromJson(n);
      String where = "run " + runId + ": record file " + path + ", entry " + inFile.seq() + " (" + inFile.kind() + ")";
      String computed = inFile.computedSha256();
      if (!computed.equals(inFile.sha256())) {
        problems.add(where + ": its content was edited — it states SHA-256 " + inFile.sha256() + ", content hashes to "
            + computed);
      } else if (!bySha.containsKey(inFile.sha256())) {
        problems.add(where + ": SHA-256 " + inFile.sha256() + " is not in the ledger");
      } else if (!CanonicalJson.of(inFile.content()).equals(CanonicalJson.of(bySha.get(inFile.sha256()).content()))) {
        problems.add(where + ": differs from the ledger's entry with the same SHA-256");
      }
    }
  }
}
