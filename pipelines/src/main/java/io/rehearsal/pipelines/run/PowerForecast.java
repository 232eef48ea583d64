package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the ledger already knows about the power of a manifest's gates: before a run starts, the last completed run
 * of a manifest of the same name says, per gate, how many users it evaluated and how many the gate's mde asks for
 * (the users needed to show non-inferiority when the true difference is mde above −margin, from that run's own
 * variance). A gate that had fewer is a warning: unless the segment grows, a candidate only as good as the mde
 * assumes will likely end INCONCLUSIVE. Before any run of the manifest nothing is known, and nothing is said.
 */
public final class PowerForecast {

  private PowerForecast() {}

  /** One "warning: ..." line per under-powered gate of the manifest's last completed run other than {@code runId}. */
  public static List<String> warnings(Ledger ledger, String manifestName, String runId) {
    if (!ledger.exists()) {
      return List.of();
    }
    Map<String, String> manifestOf = new HashMap<>();
    JsonNode lastResult = null;
    String lastRun = null;
    for (LedgerEntry e : ledger.entries()) {
      if (e.body() == null || e.runId().equals(runId)) {
        continue;
      }
      if (e.kind().equals(LedgerEntry.PLAN)) {
        manifestOf.put(e.runId(), e.body().path("manifest").path("name").asText());
      } else if (e.kind().equals(LedgerEntry.RESULT) && manifestName.equals(manifestOf.get(e.runId()))
          && RunJob.STATUS_COMPLETED.equals(e.body().path("status").asText())) {
        lastResult = e.body();
        lastRun = e.runId();
      }
    }
    List<String> out = new ArrayList<>();
    if (lastResult == null) {
      return out;
    }
    for (JsonNode g : lastResult.path("gates")) {
      if (!g.hasNonNull("required_users") || !g.hasNonNull("users")) {
        continue;
      }
      long users = g.path("users").asLong();
      long required = g.path("required_users").asLong();
      if (users < required) {
        out.add(String.format(Locale.ROOT, "warning: gates (%s %s) in segment '%s': the last run of manifest '%s' (%s) "
                + "evaluated %,d users where the gate's mde asks for about %,d; unless the segment grows (a higher sampling "
                + "rate or size, a longer window or horizon), a candidate only as good as the mde assumes will likely be "
                + "INCONCLUSIVE", g.path("role").asText(), g.path("metric").asText(), g.path("segment").asText(),
            manifestName, lastRun, users, required));
      }
    }
    return out;
  }
}
