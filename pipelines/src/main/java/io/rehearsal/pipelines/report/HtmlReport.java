package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.report.HtmlWriter.Cell;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/** The HTML report: verdict banner, then one section per part of the result, provenance last. */
final class HtmlReport {

  private HtmlReport() {}

  static String render(JsonNode plan, JsonNode result) {
    Verdict verdict = Verdict.of(result);
    JsonNode manifest = plan.path("manifest");
    String name = Json.str(manifest, "name");
    String runId = Json.str(plan, "run_id");

    HtmlWriter w = new HtmlWriter();
    w.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
        .el("title", "Rehearsal " + verdict.word() + " — " + Fmt.orNone(name) + " (" + Fmt.orNone(runId) + ")")
        .nl().open("style").raw(Css.STYLE).close("style").nl().raw("</head>\n<body>\n");

    section(w, "verdict", plan, result, (x, r) -> banner(x, plan, r, verdict));
    w.open("main").nl();
    w.open("nav").raw("<a href=\"#gates\">Gates</a> · <a href=\"#metrics\">Metric deltas</a> · ")
        .raw("<a href=\"#interleaving\">Interleaving</a> · <a href=\"#drift\">Drift</a> · ")
        .raw("<a href=\"#parity\">Parity</a> · ")
        .raw(Json.objects(result, "simulation").isEmpty() ? "" : "<a href=\"#simulation\">Simulation</a> · ")
        .raw("<a href=\"#steps\">Steps</a> · <a href=\"#provenance\">Provenance</a>").close("nav").nl();
    section(w, "checks", plan, result, HtmlReport::checks);
    section(w, "gates", plan, result, HtmlReport::gates);
    section(w, "metrics", plan, result, HtmlReport::metrics);
    section(w, "interleaving", plan, result, HtmlReport::interleaving);
    section(w, "drift", plan, result, HtmlReport::drift);
    section(w, "parity", plan, result, HtmlReport::parity);
    if (!Json.objects(result, "simulation").isEmpty()) {
      section(w, "simulation", plan, result, HtmlReport::simulation);
    }
    section(w, "steps", plan, result, (x, r) -> steps(x, plan, r));
    section(w, "provenance", plan, result, (x, r) -> ProvenanceSection.render(x, plan, r));
    w.open("footer").text("Rehearsal run report · " + Fmt.orNone(runId)
        + (Json.str(result, "finished_at") == null ? "" : " · finished " + Json.str(result, "finished_at")))
        .close("footer").nl();
    w.close("main").nl().raw("</body>\n</html>\n");
    return w.toString();
  }

  /** Renders one part on its own; a part that cannot render (unexpected input) is replaced by a note, not a crash. */
  private static void section(HtmlWriter w, String id, JsonNode plan, JsonNode result,
      BiConsumer<HtmlWriter, JsonNode> part) {
    HtmlWriter x = new HtmlWriter();
    try {
      part.accept(x, result);
      w.raw(x.toString());
    } catch (RuntimeException e) {
      w.open("section", "id", id).el("h2", id)
          .el("p", "This section could not be rendered: " + e, "class", "empty").close("section").nl();
    }
  }

  // 1. verdict

  private static void banner(HtmlWriter w, JsonNode plan, JsonNode result, Verdict v) {
    JsonNode manifest = plan.path("manifest");
    w.open("header", "id", "verdict", "class", "banner", "style", "background-color:" + v.colour()).nl();
    w.el("div", "Verdict: " + v.word(), "class", "verdict-word").nl();
    w.open("div", "class", "verdict-meta").text("Manifest ").el("strong", Fmt.orNone(Json.str(manifest, "name")))
        .text(" · run ").el("strong", Fmt.orNone(Json.str(plan, "run_id")));
    String status = Json.str(result, "status");
    if (status != null) {
      w.text(" · " + status);
    }
    String finished = Json.str(result, "finished_at");
    if (finished != null) {
      w.text(" · finished " + finished);
    }
    w.close("div").nl();
    JsonNode failure = result.path("failure");
    if (!Json.absent(failure)) {
      String step = failure.isObject() ? Json.str(failure, "step") : null;
      String message = failure.isObject() ? Json.str(failure, "message") : failure.asText();
      w.open("div", "class", "verdict-failure").text("Failed at step ").el("strong", Fmt.orNone(step)).text(": ")
          .el("span", Fmt.orNone(message), "class", "failure-message").close("div").nl();
    }
    w.close("header").nl();
  }

  private static void checks(HtmlWriter w, JsonNode result) {
    List<JsonNode> checks = Json.objects(result, "checks");
    if (checks.isEmpty()) {
      return;
    }
    w.open("section", "id", "checks").el("h2", "Checks");
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode c : checks) {
      rows.add(List.of(Cell.of(Json.str(c, "check")), Cell.status(Json.str(c, "status")),
          Cell.of(Fmt.orNone(Json.str(c, "message")))));
    }
    w.table("checks-table", List.of("check", "status", "message"), rows).close("section").nl();
  }

  // 2. gates

  private static void gates(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "gates").el("h2", "Gates per segment");
    List<JsonNode> segments = Json.objects(result, "segments");
    if (!segments.isEmpty()) {
      w.open("p", "class", "segverdicts").text("Segment verdicts: ");
      for (JsonNode s : segments) {
        String verdict = Json.str(s, "verdict");
        w.el("span", Fmt.orNone(Json.str(s, "segment")) + " " + Fmt.orNone(verdict),
            "class", "chip " + HtmlWriter.statusClass(verdict)).text(" ");
      }
      w.close("p").nl();
    }
    List<JsonNode> gates = Json.objects(result, "gates");
    if (gates.isEmpty()) {
      w.el("p", "No gates were evaluated in this run.", "class", "empty");
    } else {
      List<String> headers = List.of("segment", "metric", "role", "status", "baseline", "candidate", "delta",
          "CI [low, high]", "margin", "harm p (adj.)");
      List<List<Cell>> rows = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      for (JsonNode g : gates) {
        List<Cell> row = new ArrayList<>(List.of(Cell.of(Json.str(g, "segment")), Cell.of(Json.str(g, "metric")),
            Cell.of(Json.str(g, "role")), Cell.status(Json.str(g, "status")),
            Cell.num(Fmt.metric(Json.num(g, "baseline"))), Cell.num(Fmt.metric(Json.num(g, "candidate"))),
            Cell.num(Fmt.signed(Json.num(g, "delta"))),
            Cell.num(Fmt.ci(Json.num(g, "ci_low"), Json.num(g, "ci_high"))),
            Cell.num(Fmt.metric(Json.num(g, "margin"))), Cell.num(Fmt.metric(Json.num(g, "p_value")))));
        notes.add(Json.str(g, "message"));
        rows.add(row);
      }
      w.table("gates-table", headers, rows, notes);
    }
    w.close("section").nl();
  }

  // 3. metric deltas

  private static void metrics(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "metrics").el("h2", "Metric deltas with confidence intervals");
    List<JsonNode> metrics = Json.objects(result, "metrics");
    if (metrics.isEmpty()) {
      w.el("p", "No metrics were computed in this run.", "class", "empty");
    } else {
      w.el("p", "Candidate − baseline per segment and metric. A point left of the dashed line (−margin) fails "
          + "non-inferiority; an interval crossing it is not yet conclusive.", "class", "hint");
      w.open("div", "class", "chart");
      ForestPlot.render(w, metrics, Json.objects(result, "gates"));
      w.close("div");
    }
    w.close("section").nl();
  }

  // 4. interleaving

  private static void interleaving(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "interleaving").el("h2", "Interleaving");
    List<JsonNode> rows = Json.objects(result, "interleaving");
    if (rows.isEmpty()) {
      w.el("p", "Interleaving was not part of this run.", "class", "empty");
    } else {
      w.el("p", "Team-draft interleaving of both lists: preference = wins / (wins + losses) for the candidate; "
          + "overlap, Jaccard and RBO compare the two top-k lists.", "class", "hint");
      List<List<Cell>> cells = new ArrayList<>();
      for (JsonNode r : rows) {
        cells.add(List.of(Cell.of(Json.str(r, "segment")), Cell.num(Fmt.count(Json.num(r, "wins"))),
            Cell.num(Fmt.count(Json.num(r, "losses"))), Cell.num(Fmt.count(Json.num(r, "ties"))),
            Cell.num(Fmt.metric(Json.num(r, "preference"))), Cell.num(Fmt.metric(Json.num(r, "p_value"))),
            Cell.num(Fmt.metric(Json.num(r, "overlap"))), Cell.num(Fmt.metric(Json.num(r, "jaccard"))),
            Cell.num(Fmt.metric(Json.num(r, "rbo")))));
      }
      w.table("interleaving-table", List.of("segment", "wins", "losses", "ties", "preference", "p-value", "overlap",
          "Jaccard", "RBO"), cells);
    }
    w.close("section").nl();
  }

  // 5. drift

  private static void drift(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "drift").el("h2", "Drift");
    JsonNode drift = result.path("drift");
    if (Json.absent(drift) || !drift.isObject()) {
      w.el("p", "Drift was not part of this run.", "class", "empty").close("section").nl();
      return;
    }
    String reference = Json.str(drift, "reference");
    if (reference != null) {
      w.open("p", "class", "hint").text("Reference window ").el("strong", reference)
          .text(". Cells are coloured by PSI (white 0 → dark red ≥ 0.25); hover a cell for its statistics.")
          .close("p");
    }
    List<JsonNode> features = Json.objects(drift, "features");
    if (features.isEmpty()) {
      w.el("p", "No feature drift was computed.", "class", "empty");
    } else {
      w.open("div", "class", "chart");
      DriftHeatmap.render(w, features);
      w.close("div");
    }
    w.el("h3", "Top drifted features");
    List<JsonNode> top = Json.objects(drift, "top");
    if (top.isEmpty()) {
      w.el("p", "No drifted features.", "class", "empty");
    } else {
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode f : top) {
        rows.add(List.of(Cell.of(Json.str(f, "segment")), Cell.of(Json.str(f, "entity")),
            Cell.of(Json.str(f, "feature")), Cell.status(Json.str(f, "level")),
            Cell.num(Fmt.metric(Json.num(f, "psi"))), Cell.num(Fmt.metric(Json.num(f, "js"))),
            Cell.num(Fmt.metric(Json.num(f, "ks"))), Cell.num(Fmt.metric(Json.num(f, "wasserstein"))),
            Cell.num(Fmt.metric(Json.num(f, "severity")))));
      }
      w.table("top-drift", List.of("segment", "entity", "feature", "level", "PSI", "JS", "KS", "Wasserstein",
          "severity"), rows);
    }
    List<JsonNode> segments = Json.objects(drift, "segments");
    if (!segments.isEmpty()) {
      w.el("h3", "Segments");
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode s : segments) {
        String from = Json.str(s, "retrain_from");
        String to = Json.str(s, "retrain_to");
        rows.add(List.of(Cell.of(Json.str(s, "segment")), Cell.num(Fmt.count(Json.num(s, "alerts"))),
            Cell.num(Fmt.count(Json.num(s, "warnings"))), Cell.num(Fmt.metric(Json.num(s, "weighted_psi"))),
            Cell.of(from == null && to == null ? Fmt.NONE : Fmt.orNone(from) + " … " + Fmt.orNone(to))));
      }
      w.table("drift-segments", List.of("segment", "alerts", "warnings", "weighted PSI", "suggested retraining window"),
          rows);
    }
    List<JsonNode> cohorts = Json.objects(drift, "impacted_cohorts");
    if (!cohorts.isEmpty()) {
      w.el("h3", "Impacted cohorts");
      w.el("p", "Cohorts in which a feature that drifted in the whole segment alerts; score = summed severity × the "
          + "cohort's share of the segment's rows.", "class", "hint");
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode c : cohorts) {
        rows.add(List.of(Cell.of(Json.str(c, "segment")), Cell.of(Json.str(c, "cohort")),
            Cell.of(Fmt.orNone(Json.str(c, "features"))), Cell.num(Fmt.metric(Json.num(c, "score")))));
      }
      w.table("impacted-cohorts", List.of("segment", "cohort", "alerting features", "score"), rows);
    }
    w.close("section").nl();
  }

  // 6. parity

  private static void parity(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "parity").el("h2", "Feature parity");
    List<JsonNode> parity = Json.objects(result, "parity");
    if (parity.isEmpty()) {
      w.el("p", "Parity was not part of this run.", "class", "empty");
    } else {
      List<List<Cell>> rows = new ArrayList<>();
      for (JsonNode p : parity) {
        Boolean passed = Json.bool(p, "passed");
        String word = passed == null ? null : CheckStatus.of(passed).name();
        List<String> messages = new ArrayList<>();
        for (JsonNode f : Json.objects(p, "failed")) {
          messages.add(parityMessage(f));
        }
        rows.add(List.of(Cell.of(Json.str(p, "segment")), Cell.of(Json.str(p, "entity")), Cell.status(word),
            Cell.num(Fmt.count(Json.num(p, "checks"))), Cell.num(Fmt.count(Json.num(p, "failures"))),
            new Cell(messages.isEmpty() ? Fmt.NONE : String.join("\n", messages), "msgs", null)));
      }
      w.table("parity-table", List.of("segment", "entity", "result", "checks", "failures", "failed checks"), rows);
    }
    w.close("section").nl();
  }

  static String parityMessage(JsonNode f) {
    String message = Json.str(f, "message");
    if (message != null) {
      return message;
    }
    return Fmt.orNone(Json.str(f, "feature")) + " " + Fmt.orNone(Json.str(f, "statistic")) + ": testbed "
        + Fmt.metric(Json.num(f, "testbed")) + " vs baseline " + Fmt.metric(Json.num(f, "baseline"))
        + " (allowed " + Fmt.metric(Json.num(f, "allowed")) + ")";
  }

  // 7. simulation

  private static void simulation(HtmlWriter w, JsonNode result) {
    w.open("section", "id", "simulation").el("h2", "Simulation");
    List<List<Cell>> rows = new ArrayList<>();
    for (JsonNode s : Json.objects(result, "simulation")) {
      Boolean passed = Json.bool(s, "passed");
      rows.add(List.of(Cell.of(Json.str(s, "segment")), Cell.of(Json.str(s, "model")),
          Cell.num(Fmt.count(Json.num(s, "failures"))), Cell.num(Fmt.count(Json.num(s, "max_failures"))),
          Cell.status(passed == null ? null : CheckStatus.of(passed).name())));
    }
    w.table("simulation-table", List.of("segment", "model", "failures", "max failures", "result"), rows);
    w.close("section").nl();
  }

  // 8. steps

  private static void steps(HtmlWriter w, JsonNode plan, JsonNode result) {
    w.open("section", "id", "steps").el("h2", "Steps and timings");
    Map<String, JsonNode> done = new LinkedHashMap<>();
    for (JsonNode s : Json.objects(result, "steps")) {
      done.putIfAbsent(Fmt.orNone(Json.str(s, "step")), s);
    }
    List<String> order = new ArrayList<>();
    JsonNode planned = plan.path("steps");
    if (planned.isArray()) {
      planned.forEach(s -> {
        if (s.isValueNode() && !order.contains(s.asText())) {
          order.add(s.asText());
        }
      });
    }
    done.keySet().stream().filter(s -> !order.contains(s)).forEach(order::add);
    if (order.isEmpty()) {
      w.el("p", "No steps were recorded.", "class", "empty").close("section").nl();
      return;
    }
    List<List<Cell>> rows = new ArrayList<>();
    double total = 0;
    boolean anyTime = false;
    for (String step : order) {
      JsonNode s = done.get(step);
      Double seconds = s == null ? null : Json.num(s, "seconds");
      if (seconds != null) {
        total += seconds;
        anyTime = true;
      }
      rows.add(List.of(Cell.of(step), Cell.status(s == null ? "not run" : Json.str(s, "status")),
          Cell.num(Fmt.seconds(seconds)), Cell.of(s == null ? Fmt.NONE : Fmt.orNone(Json.str(s, "note")))));
    }
    rows.add(List.of(new Cell("total", "total", null), new Cell("", "total", null),
        new Cell(anyTime ? Fmt.seconds(total) : Fmt.NONE, "num total", null), new Cell("", "total", null)));
    w.table("steps-table", List.of("step", "status", "time", "note"), rows);
    w.close("section").nl();
  }

  // 9. provenance
}
