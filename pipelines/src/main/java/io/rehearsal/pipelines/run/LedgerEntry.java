package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One entry of the run ledger: its position, run, kind ({@code plan} or {@code result}), the SHA-256 of the
 * previous entry, its body, and the SHA-256 of the canonical JSON of all of those (which is what the next
 * entry links to).
 */
public record LedgerEntry(long seq, String runId, String kind, String recordedAt, String prevSha256, JsonNode body,
    String sha256) {

  public static final String PLAN = "plan";
  public static final String RESULT = "result";
  /** The previous-entry hash of the first entry. */
  public static final String GENESIS = "0".repeat(64);

  public static LedgerEntry create(long seq, String runId, String kind, String recordedAt, String prevSha256,
      JsonNode body) {
    ObjectNode hashed = hashedContent(seq, runId, kind, recordedAt, prevSha256, body);
    return new LedgerEntry(seq, runId, kind, recordedAt, prevSha256, body, CanonicalJson.sha256(hashed));
  }

  /** The JSON whose canonical form is hashed. */
  public static ObjectNode hashedContent(long seq, String runId, String kind, String recordedAt, String prevSha256,
      JsonNode body) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("seq", seq);
    n.put("run_id", runId);
    n.put("kind", kind);
    n.put("recorded_at", recordedAt);
    n.put("prev_sha256", prevSha256);
    n.set("body", body);
    return n;
  }

  public ObjectNode content() {
    return hashedContent(seq, runId, kind, recordedAt, prevSha256, body);
  }

  /** The content with its hash, as written to a run's record file. */
  public ObjectNode toJson() {
    ObjectNode n = content();
    n.put("sha256", sha256);
    return n;
  }

  public static LedgerEntry fromJson(JsonNode n) {
    return new LedgerEntry(n.path("seq").asLong(-1), n.path("run_id").asText(null), n.path("kind").asText(null),
        n.path("recorded_at").asText(null), n.path("prev_sha256").asText(null), n.get("body"),
        n.path("sha256").asText(null));
  }

  /** The hash its content gives now (equal to {@link #sha256} unless something was edited). */
  public String computedSha256() {
    return CanonicalJson.sha256(content());
  }
}
