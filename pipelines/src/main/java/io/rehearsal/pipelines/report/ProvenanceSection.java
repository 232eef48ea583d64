package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rehearsal.pipelines.report.HtmlWriter.Cell;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The report's provenance section: the run, the manifest, the code and runtime, the seeds, the inputs at their
 * pinned versions, the Spark configuration and the gates and thresholds as planned (from the plan entry).
 */
final class ProvenanceSection {

  private static final ObjectMapper PRETTY = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ProvenanceSection() {}

  static void render(HtmlWriter w, JsonNode plan, JsonNode result) {
    w.open("section", "id", "provenance").el("h2", "Provenance");
    JsonNode manifest = plan.path("manifest");
    JsonNode code = plan.path("code");
    Boolean dirty = Json.bool(code, "dirty");
    w.open("div", "class", "kv-grid");
    kv(w, "Run", new String[][] {
        {"run id", Json.str(plan, "run_id")},
        {"registered", Json.str(plan, "registered_at")},
        {"finished", Json.str(result, "finished_at")},
        {"status", Json.str(result, "status")},
        {"workspace", Json.str(plan, "workspace")}});
    kv(w, "Manifest", new String[][] {
        {"file", Json.str(manifest, "file")},
        {"name", Json.str(manifest, "name")},
        {"sha256", Json.str(manifest, "sha256")}});
    kv(w, "Code", new String[][] {
        {"version", Json.str(code, "version")},
        {"commit", Json.str(code, "commit")},
        {"dirty", dirty == null ? null : dirty ? "yes — uncommitted changes" : "no"}});
    kv(w, "Runtime", entries(plan.path("runtime")));
    w.close("div").nl();

    List<JsonNode> inputs = Json.objects(plan, "inputs");
    w.el("h3", "Inputs (pinned versions)");
    if (inputs.isEmpty()) {
      w.el("p", "No inputs recorded.", "class", "empty");
    } else {
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode i : inputs) {
        rows.add(List.of(Cell.of(Json.str(i, "name")), new Cell(Fmt.orNone(Json.str(i, "path")), "mono", null),
            Cell.of(Json.str(i, "format")), Cell.num(Fmt.orNone(Json.str(i, "version")))));
      }
      w.table("inputs", List.of("input", "path", "format", "version"), rows);
    }

    String[][] seeds = entries(plan.path("seeds"));
    if (seeds.length > 0) {
      w.el("h3", "Seeds");
      List<List<Cell>> rows = new ArrayList<>();
      for (String[] s : seeds) {
        rows.add(List.of(Cell.of(s[0]), Cell.num(s[1])));
      }
      w.table("seeds", List.of("segment", "seed"), rows);
    }

    List<JsonNode> snapshots = Json.objects(result, "snapshots");
    if (!snapshots.isEmpty()) {
      w.el("h3", "Snapshots");
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode s : snapshots) {
        rows.add(List.of(Cell.of(Json.str(s, "segment")), new Cell(Fmt.orNone(Json.str(s, "snapshot_id")), "mono", null),
            Cell.num(Fmt.count(Json.num(s, "sampled_users"))), Cell.num(Fmt.count(Json.num(s, "events"))),
            Cell.num(Fmt.count(Json.num(s, "items")))));
      }
      w.table("snapshots", List.of("segment", "snapshot id", "sampled users", "events", "items"), rows);
    }

    List<JsonNode> outputs = Json.objects(result, "outputs");
    w.el("h3", "Outputs");
    if (outputs.isEmpty()) {
      w.el("p", "No outputs were written.", "class", "empty");
    } else {
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode o : outputs) {
        String hash = Json.str(o, "content_hash");
        rows.add(List.of(new Cell(Fmt.orNone(Json.str(o, "table")), null, Json.str(o, "path")),
            Cell.num(Fmt.orNone(Json.str(o, "version"))), Cell.num(Fmt.count(Json.num(o, "rows"))),
            new Cell(Fmt.shortHash(hash), "mono hash", hash)));
      }
      w.table("outputs", List.of("table", "version", "rows", "content hash"), rows);
    }

    String[][] conf = entries(plan.path("spark_conf"));
    if (conf.length > 0) {
      w.el("h3", "Spark configuration");
      List<List<Cell>> rows = new ArrayList<>();
      for (String[] c : conf) {
        rows.add(List.of(new Cell(c[0], "mono", null), new Cell(Fmt.orNone(c[1]), "mono", null)));
      }
      w.table("spark-conf", List.of("key", "value"), rows);
    }

    details(w, "Gates as planned", plan.path("gates"));
    details(w, "Thresholds as planned", plan.path("thresholds"));
    String content = Json.str(manifest, "content");
    if (content != null) {
      w.open("details").el("summary", "Manifest " + Fmt.orNone(Json.str(manifest, "file")))
          .el("pre", content).close("details").nl();
    }
    w.close("section").nl();
  }

  private static void kv(HtmlWriter w, String title, String[][] entries) {
    w.open("table", "class", "kv").open("caption").text(title).close("caption").open("tbody");
    if (entries.length == 0) {
      w.open("tr").el("td", Fmt.NONE).close("tr");
    }
    for (String[] e : entries) {
      w.open("tr").el("th", e[0]).el("td", Fmt.orNone(e[1]), "class", "mono").close("tr");
    }
    w.close("tbody").close("table").nl();
  }

  /** The fields of an object as key/value text, in order; empty when not an object. */
  private static String[][] entries(JsonNode node) {
    List<String[]> out = new ArrayList<>();
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode v = e.getValue();
        out.add(new String[] {e.getKey(), v == null || v.isNull() ? null : v.isValueNode() ? v.asText() : v.toString()});
      }
    }
    return out.toArray(new String[0][]);
  }

  private static void details(HtmlWriter w, String summary, JsonNode node) {
    if (Json.absent(node)) {
      return;
    }
    String text;
    try {
      text = PRETTY.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      text = node.toString();
    }
    w.open("details").el("summary", summary).el("pre", text).close("details").nl();
  }
}
