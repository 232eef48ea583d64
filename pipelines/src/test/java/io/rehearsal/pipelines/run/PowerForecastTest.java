package io.rehearsal.pipelines.run;

import static org.junit.Assert.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehearsal.pipelines.testing.InMemoryLedgerStore;
import java.util.List;
import org.junit.Test;

/**
 * Warnings from the ledger's last completed run of the same manifest; the gates' users and required users are those
 * of the e2e lane's cluster run's record (loyalty members: 126 evaluated, 8,228 asked for by ndcg@10's mde).
 */
public class PowerForecastTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static JsonNode json(String text) throws Exception {
    return JSON.readTree(text.replace('\'', '"'));
  }

  private static JsonNode plan(String manifest) throws Exception {
    return json("{'manifest': {'name': '" + manifest + "'}}");
  }

  private static JsonNode result(String status, long users, long required) throws Exception {
    return json("{'status': '" + status + "', 'gates': [{'role': 'primary', 'metric': 'ndcg@10', 'segment': 'loyalty_members', "
        + "'users': " + users + ", 'required_users': " + required + "}, {'role': 'secondary', 'metric': 'recall@20', "
        + "'segment': 'loyalty_members', 'users': 126, 'required_users': 100}]}");
  }

  @Test
  public void aGateTheLastCompletedRunOfTheManifestHadTooFewUsersForIsAWarning() throws Exception {
    Ledger ledger = new Ledger(new InMemoryLedgerStore());
    ledger.append("other", LedgerEntry.PLAN, plan("demo"));
    ledger.append("other", LedgerEntry.RESULT, result("completed", 10, 20));
    ledger.append("r0", LedgerEntry.PLAN, plan("e2e"));
    ledger.append("r0", LedgerEntry.RESULT, result("completed", 90, 9_000));
    ledger.append("r1", LedgerEntry.PLAN, plan("e2e"));
    ledger.append("r1", LedgerEntry.RESULT, result("completed", 126, 8_228));
    ledger.append("r2", LedgerEntry.PLAN, plan("e2e"));
    ledger.append("r2", LedgerEntry.RESULT, result("failed", 5, 8_228));
    assertEquals(List.of("warning: gates (primary ndcg@10) in segment 'loyalty_members': the last run of manifest 'e2e' "
        + "(r1) evaluated 126 users where the gate's mde asks for about 8,228; unless the segment grows (a higher sampling "
        + "rate or size, a longer window or horizon), a candidate only as good as the mde assumes will likely be "
        + "INCONCLUSIVE"), PowerForecast.warnings(ledger, "e2e", "r3"));
    // The run itself is not its own forecast (a resumed run: then the run before it speaks), and a manifest never run
    // completely has none.
    assertEquals(1, PowerForecast.warnings(ledger, "e2e", "r1").size());
    assertEquals(true, PowerForecast.warnings(ledger, "e2e", "r1").get(0).contains("(r0) evaluated 90 users where the "
        + "gate's mde asks for about 9,000"));
    assertEquals(List.of(), PowerForecast.warnings(ledger, "never-run", "r3"));
    assertEquals(List.of(), PowerForecast.warnings(new Ledger(new InMemoryLedgerStore()), "e2e", "r3"));
  }
}
