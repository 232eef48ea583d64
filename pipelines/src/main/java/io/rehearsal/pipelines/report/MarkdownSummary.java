package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The short Markdown summary of a run for a pull-request comment (at most ~60 lines). */
final class MarkdownSummary {

  static final int MAX_GATES = 25;
  static final int TOP_DRIFT = 5;

  private MarkdownSummary() {}

  static String render(JsonNode plan, JsonNode result, String reportPath) {
    Verdict verdict = Verdict.of(result);
    JsonNode manifest = plan.path("manifest");
    List<String> out = new ArrayList<>();
    out.add("## Rehearsal: " + verdict.word() + " — " + text(Fmt.orNone(Json.str(manifest, "name"))) + " (run "
        + text(Fmt.orNone(Json.str(plan, "run_id"))) + ")");
    out.add("");

    JsonNode failure = result.path("failure");
    if (!Json.absent(failure)) {
      String step = failure.isObject() ? Json.str(failure, "step") : null;
      String message = failure.isObject() ? Json.str(failure, "message") : failure.asText();
      out.add("**Failed at step " + text(Fmt.orNone(step)) + ":** " + text(Fmt.orNone(message)));
      out.add("");
    }

    List<JsonNode> segments = Json.objects(result, "segments");
    if (!segments.isEmpty()) {
      List<String> parts = new ArrayList<>();
      for (JsonNode s : segments) {
        parts.add(text(Fmt.orNone(Json.str(s, "segment"))) + " **" + text(Fmt.orNone(Json.str(s, "verdict"))) + "**");
      }
      out.add("Segments: " + String.join(" · ", parts));
      out.add("");
    }

    List<JsonNode> gates = Json.objects(result, "gates");
    if (!gates.isEmpty()) {
      List<JsonNode> shown = gates;
      String omitted = null;
      if (gates.size() > MAX_GATES) {
        List<JsonNode> ordered = new ArrayList<>();
        gates.stream().filter(g -> !"PASS".equalsIgnoreCase(Json.str(g, "status"))).forEach(ordered::add);
        gates.stream().filter(g -> "PASS".equalsIgnoreCase(Json.str(g, "status"))).forEach(ordered::add);
        shown = ordered.subList(0, MAX_GATES);
        omitted = "_" + (gates.size() - MAX_GATES) + " more gates in the full report (failing ones are listed first)._";
      }
      out.add("| segment | metric | role | status | baseline | candidate | delta | CI | margin | harm p (adj.) |");
      out.add("|---|---|---|---|---:|---:|---:|---:|---:|---:|");
      for (JsonNode g : shown) {
        out.add("| " + String.join(" | ", cell(Json.str(g, "segment")), cell(Json.str(g, "metric")),
            cell(Json.str(g, "role")), status(Json.str(g, "status")), Fmt.metric(Json.num(g, "baseline")),
            Fmt.metric(Json.num(g, "candidate")), Fmt.signed(Json.num(g, "delta")),
            Fmt.ci(Json.num(g, "ci_low"), Json.num(g, "ci_high")), Fmt.metric(Json.num(g, "margin")),
            Fmt.metric(Json.num(g, "p_value"))) + " |");
      }
      if (omitted != null) {
        out.add("");
        out.add(omitted);
      }
      out.add("");
    }

    JsonNode drift = result.path("drift");
    if (Json.absent(drift)) {
      out.add("Drift: not part of this run.");
    } else {
      List<JsonNode> top = Json.objects(drift, "top");
      if (top.isEmpty()) {
        out.add("Drift: no drifted features.");
      } else {
        out.add("**Top drifted features**");
        out.add("");
        out.add("| segment | entity | feature | PSI | level |");
        out.add("|---|---|---|---:|---|");
        for (JsonNode f : top.subList(0, Math.min(TOP_DRIFT, top.size()))) {
          out.add("| " + String.join(" | ", cell(Json.str(f, "segment")), cell(Json.str(f, "entity")),
              cell(Json.str(f, "feature")), Fmt.metric(Json.num(f, "psi")), cell(Json.str(f, "level"))) + " |");
        }
      }
    }
    out.add("");
    out.add(parity(result));
    out.add("");
    out.add("Full report: `" + code(Fmt.orNone(reportPath)) + "`");
    out.add("");
    JsonNode code = plan.path("code");
    String commit = Json.str(code, "commit");
    Boolean dirty = Json.bool(code, "dirty");
    String sha = Json.str(manifest, "sha256");
    out.add("<sub>manifest `" + code(Fmt.orNone(Json.str(manifest, "file"))) + "` sha256 `" + code(Fmt.orNone(sha))
        + "` · commit `" + code(Fmt.orNone(commit)) + "`" + (Boolean.TRUE.equals(dirty) ? " (dirty)" : "")
        + "</sub>");
    return String.join("\n", out) + "\n";
  }

  private static String parity(JsonNode result) {
    List<JsonNode> parity = Json.objects(result, "parity");
    if (parity.isEmpty()) {
      return "Parity: not part of this run.";
    }
    List<String> failed = new ArrayList<>();
    int checks = 0;
    for (JsonNode p : parity) {
      Double c = Json.num(p, "checks");
      checks += c == null ? 0 : (int) (double) c;
      if (!Boolean.TRUE.equals(Json.bool(p, "passed"))) {
        Double n = Json.num(p, "failures");
        failed.add(text(Fmt.orNone(Json.str(p, "segment"))) + " " + text(Fmt.orNone(Json.str(p, "entity")))
            + " (" + Fmt.count(n) + " failed)");
      }
    }
    if (failed.isEmpty()) {
      return String.format(Locale.ROOT, "Parity: **PASS** (%d segment·entity tables, %d checks)", parity.size(), checks);
    }
    return "Parity: **FAIL** — " + String.join(", ", failed);
  }

  private static String status(String s) {
    String c = cell(s);
    return "PASS".equalsIgnoreCase(s) ? c : "**" + c + "**";
  }

  private static String cell(String s) {
    return text(Fmt.orNone(s));
  }

  /** Text safe in a Markdown table cell and as GitHub-rendered HTML: no raw tags, pipes or line breaks. */
  static String text(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|")
        .replace("\r", " ").replace("\n", " ");
  }

  /** Text for inside a code span: no backticks, no line breaks. */
  private static String code(String s) {
    return s.replace("`", "'").replace("\r", " ").replace("\n", " ");
  }
}
