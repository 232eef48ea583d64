package io.rehearsal.pipelines.run;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rehearsal.pipelines.testing.InMemoryLedgerStore;
import io.rehearsal.transforms.RehearsalException;
import java.util.List;
import org.apache.spark.sql.RowFactory;
import org.junit.Test;

/** The ledger's chain and retries over a store in memory (no Spark IO); the Delta store: RunJobTest. */
public class LedgerTest {

  private static LedgerEntry append(Ledger ledger, String run, String kind) {
    return ledger.append(run, kind, JsonNodeFactory.instance.objectNode().put("run", run));
  }

  @Test
  public void entriesChainInSequenceAndAreReadPerRun() {
    Ledger ledger = new Ledger(new InMemoryLedgerStore());
    assertEquals(List.of(), ledger.entries());
    LedgerEntry a0 = append(ledger, "a", LedgerEntry.PLAN);
    LedgerEntry b1 = append(ledger, "b", LedgerEntry.PLAN);
    LedgerEntry a2 = append(ledger, "a", LedgerEntry.RESULT);
    assertEquals(List.of(0L, 1L, 2L), ledger.entries().stream().map(LedgerEntry::seq).toList());
    assertEquals(LedgerEntry.GENESIS, a0.prevSha256());
    assertEquals(a0.sha256(), b1.prevSha256());
    assertEquals(b1.sha256(), a2.prevSha256());
    assertEquals(List.of(a0.sha256(), a2.sha256()), ledger.entriesOf("a").stream().map(LedgerEntry::sha256).toList());
    // Most recent last: b's last entry is 1, a's is 2.
    assertEquals(List.of("b", "a"), ledger.recentRuns(10));
    assertEquals(List.of("a"), ledger.recentRuns(1));
  }

  @Test
  public void anAppendThatLosesToAConcurrentWriterLinksAfterItsEntry() {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    Ledger ledger = new Ledger(store);
    LedgerEntry first = append(ledger, "a", LedgerEntry.PLAN);
    // Another writer commits sequence number 1 just before this one: this append must not fork the chain.
    LedgerEntry theirs = LedgerEntry.create(1, "other", LedgerEntry.PLAN, "2026-01-01T00:00:00Z", first.sha256(),
        JsonNodeFactory.instance.objectNode());
    store.beforeAppend(version -> {
      if (version == 1 && !store.contains(1, theirs.sha256())) {
        store.insert(RowFactory.create(1L, "other", LedgerEntry.PLAN, theirs.recordedAt(), theirs.prevSha256(),
            CanonicalJson.of(theirs.content()), theirs.sha256()));
        return false;
      }
      return true;
    });
    LedgerEntry mine = append(ledger, "b", LedgerEntry.PLAN);
    assertEquals(2, mine.seq());
    assertEquals(theirs.sha256(), mine.prevSha256());
    assertEquals(List.of("a", "other", "b"), ledger.entries().stream().map(LedgerEntry::runId).toList());
  }

  @Test
  public void anAppendThatKeepsLosingFailsNamingTheLedger() {
    InMemoryLedgerStore store = new InMemoryLedgerStore();
    store.beforeAppend(version -> false);
    Ledger ledger = new Ledger(store);
    RehearsalException e = assertThrows(RehearsalException.class, () -> append(ledger, "a", LedgerEntry.PLAN));
    assertEquals("Cannot append to the run ledger at memory://ledger: other runs appended at the same time 5 times in "
        + "a row. Fix: retry the run; if it keeps happening, fewer runs should share this warehouse's ledger at once",
        e.getMessage());
  }
}
