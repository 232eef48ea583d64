package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.transforms.RehearsalException;
import java.util.List;

/** Looks up a run's entries in the ledger. */
public final class RunRecords {

  private final Ledger ledger;

  public RunRecords(Ledger ledger) {
    this.ledger = ledger;
  }

  /** Every entry of the run in ledger order; an unknown run id is an error naming the recent runs. */
  public List<LedgerEntry> entries(String runId) {
    List<LedgerEntry> all = ledger.entries();
    List<LedgerEntry> mine = all.stream().filter(e -> e.runId().equals(runId)).toList();
    if (mine.isEmpty()) {
      List<String> recent = all.stream().map(LedgerEntry::runId).distinct().toList();
      recent = recent.subList(Math.max(0, recent.size() - 5), recent.size());
      throw RehearsalException.invalidInput("Cannot find run " + runId + " in the ledger at " + ledger.path(),
          all.isEmpty() ? "the ledger has no runs" : "the most recent runs are " + String.join(", ", recent),
          "pass a recorded run id, and --warehouse of the warehouse the run wrote to");
    }
    return mine;
  }

  /** The body of the run's last entry of that kind, or null. */
  public JsonNode latest(String runId, String kind) {
    List<LedgerEntry> mine = entries(runId);
    JsonNode found = null;
    for (LedgerEntry e : mine) {
      if (e.kind().equals(kind)) {
        found = e.body();
      }
    }
    return found;
  }
}
