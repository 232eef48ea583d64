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
    List<LedgerEntry> mine = ledger.entriesOf(runId);
    if (mine.isEmpty()) {
      List<String> recent = ledger.recentRuns(5);
      throw RehearsalException.invalidInput("Cannot find run " + runId + " in the ledger at " + ledger.path(),
          recent.isEmpty() ? "the ledger has no runs" : "the most recent runs are " + String.join(", ", recent),
          "pass a recorded run id, and --warehouse of the warehouse the run wrote to");
    }
    return mine;
  }

  /** The body of the last entry of that kind among a run's entries, or null. */
  public static JsonNode latest(List<LedgerEntry> entries, String kind) {
    JsonNode found = null;
    for (LedgerEntry e : entries) {
      if (e.kind().equals(kind)) {
        found = e.body();
      }
    }
    return found;
  }
}
