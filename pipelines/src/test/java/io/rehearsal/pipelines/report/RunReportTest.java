package io.rehearsal.pipelines.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Test;

/** The run report as text: the Markdown summary exactly, the HTML's structure, self-containment and escaping. */
public class RunReportTest {

  private static final String REPORT = "demo-data/warehouse/runs/demo-20261130-1140-ab12cd/report.html";

  @Test
  public void markdownLeadsWithTheVerdictAndListsEveryGate() {
    String md = RunReport.markdown(Fixtures.plan(), Fixtures.result(), REPORT);
    List<String> lines = md.lines().toList();
    assertEquals("## Rehearsal: FAIL — demo (run demo-20261130-1140-ab12cd)", lines.get(0));
    assertTrue(md, lines.contains("Segments: loyalty_members **PASS** · first_time_buyers **FAIL**"));
    int header = lines.indexOf("| segment | metric | role | status | baseline | candidate | delta | CI | margin | harm p (adj.) |");
    assertTrue(md, header > 0);
    assertEquals("|---|---|---|---|---:|---:|---:|---:|---:|---:|", lines.get(header + 1));
    assertEquals(List.of(
        "| loyalty_members | ndcg@10 | primary | PASS | 0.1214 | 0.1402 | +0.0188 | [0.0121, 0.0255] | 0.002428 | 0.0004 |",
        "| loyalty_members | recall@20 | secondary | PASS | 0.2231 | 0.2518 | +0.0287 | [0.0148, 0.0426] | 0.01116 | 0.0011 |",
        "| loyalty_members | revenue@10 | secondary | PASS | 41.27 | 44.9 | +3.63 | [0.85, 6.41] | 2.064 | 0.012 |",
        "| first_time_buyers | ndcg@10 | primary | **FAIL** | 0.0873 | 0.0791 | -0.0082 | [-0.0139, -0.0025] | 0.001746 | 0.0061 |",
        "| first_time_buyers | recall@20 | secondary | **INCONCLUSIVE** | 0.1544 | 0.1501 | -0.0043 | [-0.0161, 0.0075] | 0.00772 | 0.47 |",
        "| first_time_buyers | coverage@10 | guardrail | PASS | 0.012 | 0.185 | +0.173 | — | — | — |"),
        lines.subList(header + 2, header + 8));
    assertEquals("", lines.get(header + 8));

    int drift = lines.indexOf("**Top drifted features**");
    assertTrue(md, drift > header);
    assertEquals("| segment | entity | feature | PSI | level |", lines.get(drift + 2));
    long driftRows = lines.subList(drift + 4, lines.size()).stream().takeWhile(l -> l.startsWith("| ")).count();
    assertEquals(5, driftRows);
    assertTrue(md, lines.contains("Parity: **FAIL** — first_time_buyers user (1 failed)"));
    assertTrue(md, lines.contains("Full report: `" + REPORT + "`"));
    String sha = Fixtures.plan().path("manifest").path("sha256").asText();
    assertEquals("<sub>manifest `manifests/demo.yaml` sha256 `" + sha
        + "` · commit `241b892d6e0c4f1a9b3e5d7c8a2f0e1b3c5d7e9f`</sub>", lines.get(lines.size() - 1));
    assertTrue(lines.size() + " lines:\n" + md, lines.size() <= 60);
  }

  @Test
  public void markdownOfAFailedRunNamesTheStepAndStaysShort() {
    String md = RunReport.markdown(Fixtures.plan(), Fixtures.failedResult(), REPORT);
    List<String> lines = md.lines().toList();
    assertEquals("## Rehearsal: ERROR — demo (run demo-20261130-1140-ab12cd)", lines.get(0));
    assertEquals("**Failed at step snapshot:** Input events at /srv/lake/events is not a Delta table: no _delta_log "
        + "directory. Fix: point inputs.events at a Delta table or set format: parquet.", lines.get(2));
    assertTrue(md, lines.contains("Drift: not part of this run."));
    assertTrue(md, lines.contains("Parity: not part of this run."));
    assertFalse(md, md.contains("| segment | metric |"));
  }

  @Test
  public void manyGatesAreCappedWithFailuresFirst() {
    ObjectNode result = Fixtures.result();
    var gates = result.withArray("gates");
    ObjectNode failing = (ObjectNode) gates.get(3).deepCopy();
    for (int i = 0; i < 40; i++) {
      gates.add(((ObjectNode) gates.get(0).deepCopy()).put("metric", "pass_" + i));
    }
    gates.add(failing.put("metric", "late_failure"));
    String md = RunReport.markdown(Fixtures.plan(), result, REPORT);
    assertTrue(md, md.contains("| first_time_buyers | late_failure | primary | **FAIL** |"));
    assertTrue(md, md.contains("_22 more gates in the full report (failing ones are listed first)._"));
    assertTrue(md.lines().count() + " lines", md.lines().count() <= 60);
  }

  @Test
  public void htmlIsSelfContainedAndInSectionOrder() {
    String html = RunReport.html(Fixtures.plan(), Fixtures.result());
    assertFalse("network reference in the report", html.contains("http://") || html.contains("https://"));
    Matcher refs = Pattern.compile("(?i)\\b(?:src|href|xlink:href|action|poster|data)\\s*=\\s*\"([^\"]*)\"").matcher(html);
    while (refs.find()) {
      assertTrue("reference outside the page: " + refs.group(), refs.group(1).startsWith("#"));
    }
    Matcher urls = Pattern.compile("(?i)url\\(([^)]*)\\)").matcher(html);
    while (urls.find()) {
      assertTrue("url() outside the page: " + urls.group(), urls.group(1).startsWith("#"));
    }
    for (String tag : List.of("<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "@font-face")) {
      assertFalse(tag + " in the report", html.toLowerCase().contains(tag));
    }

    List<String> order = List.of("id=\"verdict\"", "id=\"gates\"", "id=\"forest\"", "id=\"interleaving\"",
        "id=\"drift-heatmap\"", "id=\"top-drift\"", "id=\"parity\"", "id=\"simulation\"", "id=\"steps\"",
        "id=\"provenance\"");
    int last = -1;
    for (String id : order) {
      int at = html.indexOf(id);
      assertTrue(id + " missing or out of order", at > last);
      assertEquals(id + " appears twice", at, html.lastIndexOf(id));
      last = at;
    }
    assertTrue(html.contains("<header id=\"verdict\" class=\"banner\" style=\"background-color:#cf222e\">"));
    assertTrue(html.contains("<div class=\"verdict-word\">Verdict: FAIL</div>"));
  }

  @Test
  public void htmlChartsHaveOneMarkPerRow() {
    ObjectNode result = Fixtures.result();
    String html = RunReport.html(Fixtures.plan(), result);
    String forest = element(html, "<svg id=\"forest\"", "</svg>");
    assertEquals(Fixtures.size(result, "metrics"), count(forest, "<circle "));
    // one dashed −margin line per gated metric (coverage@10 has no metric row and no margin)
    assertEquals(5, count(forest, "class=\"margin\""));
    assertTrue(forest, forest.contains(">loyalty_members · ndcg@10</text>"));
    assertTrue(forest, forest.contains(">-0.0082 [-0.0139, -0.0025]</text>"));
    // FAIL gate colours its point red
    assertTrue(forest, Pattern.compile("<circle [^>]*fill=\"#cf222e\"").matcher(forest).find());

    String heatmap = element(html, "<svg id=\"drift-heatmap\"", "</svg>");
    assertEquals(Fixtures.size(result.path("drift"), "features"), count(heatmap, "data-psi="));
    assertTrue(heatmap, heatmap.contains("<title>loyalty_members · user avg_order_value_7d: PSI 0.3127, level ALERT"));
    assertTrue(heatmap, heatmap.contains("fill=\"#8b0000\" data-psi=\"0.3127\" class=\"hm alert\""));

    String top = element(html, "<table id=\"top-drift\"", "</table>");
    assertEquals(Fixtures.size(result.path("drift"), "top"), count(top, "<tr>") - 1);
    String cohorts = element(html, "<table id=\"impacted-cohorts\"", "</table>");
    assertTrue(cohorts, cohorts.contains("<td>category=fashion</td><td>item_price_change_30d, item_conversion_rate_7d</td>"));
    String parity = element(html, "<section id=\"parity\"", "</section>");
    assertTrue(parity, parity.contains("avg_order_value_7d p90: testbed 84.2 vs baseline 67.1, differs by 17.1 &gt; "
        + "allowed 13.42"));
    String provenance = element(html, "<section id=\"provenance\"", "</section>");
    String hash = result.path("outputs").get(0).path("content_hash").asText();
    assertTrue(provenance, provenance.contains("<td class=\"mono hash\" title=\"" + hash + "\">" + hash.substring(0, 12)
        + "</td>"));
    assertTrue(provenance, provenance.contains("*** redacted ***"));
    assertTrue(provenance, provenance.contains("<td>events</td><td class=\"mono\">/srv/lake/events</td><td>delta</td>"
        + "<td class=\"num\">3</td>"));
  }

  @Test
  public void htmlEscapesWhatTheInputsSay() {
    ObjectNode plan = Fixtures.plan();
    ObjectNode result = Fixtures.result();
    ((ObjectNode) plan.path("manifest")).put("name", "<script>alert('x')</script>");
    ((ObjectNode) result.path("segments").get(0)).put("segment", "a\" onmouseover=\"alert(1)");
    result.putObject("failure").put("step", "gate").put("message", "<img src=x onerror=alert(1)> & more");
    String html = RunReport.html(plan, result);
    assertFalse(html, html.contains("<script"));
    assertFalse(html, html.contains("<img"));
    assertFalse(html, html.contains("\" onmouseover=\""));
    assertTrue(html, html.contains("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt;"));
    assertTrue(html, html.contains("&lt;img src=x onerror=alert(1)&gt; &amp; more"));
    String md = RunReport.markdown(plan, result, REPORT);
    assertTrue(md, md.startsWith("## Rehearsal: FAIL — &lt;script&gt;alert('x')&lt;/script&gt; (run "));
    assertFalse(md, md.contains("<script") || md.contains("<img"));
  }

  @Test
  public void aRunThatFailedAtSnapshotStillRenders() {
    String html = RunReport.html(Fixtures.plan(), Fixtures.failedResult());
    assertTrue(html.contains("<header id=\"verdict\" class=\"banner\" style=\"background-color:#57606a\">"));
    assertTrue(html.contains("<div class=\"verdict-word\">Verdict: ERROR</div>"));
    assertTrue(html, html.contains("Failed at step <strong>snapshot</strong>: <span class=\"failure-message\">Input "
        + "events at /srv/lake/events is not a Delta table"));
    assertTrue(html.contains("Drift was not part of this run."));
    assertTrue(html.contains("No gates were evaluated in this run."));
    assertFalse(html.contains("id=\"simulation\""));
    String steps = element(html, "<table id=\"steps-table\"", "</table>");
    assertTrue(steps, steps.contains("<td>snapshot</td><td class=\"s-fail\">failed</td><td class=\"num\">3.1 s</td>"));
    assertTrue(steps, steps.contains("<td>backfill</td><td class=\"s-none\">not run</td>"));
    assertTrue(steps, steps.contains(">4.9 s</td>"));
    assertFalse(html.contains("could not be rendered"));
  }

  @Test
  public void nothingAtAllStillRenders() {
    String html = RunReport.html(null, null);
    assertTrue(html.contains("Verdict: UNKNOWN"));
    assertTrue(html.contains("Drift was not part of this run."));
    assertFalse(html.contains("could not be rendered"));
    ObjectNode weird = Fixtures.MAPPER.createObjectNode();
    weird.put("verdict", "pass").put("failure", "boom").put("drift", 3).putArray("metrics").addObject()
        .put("segment", "s").put("metric", "m").put("delta", "NaN");
    weird.putArray("gates").add("not an object").addObject().put("metric", 5);
    html = RunReport.html(Fixtures.MAPPER.createArrayNode(), weird);
    assertTrue(html.contains("Verdict: PASS"));
    assertTrue(html.contains("boom"));
    assertTrue(html.contains(">no estimate</text>"));
    assertFalse(html, html.contains("could not be rendered"));
    assertTrue(RunReport.markdown(null, null, null).startsWith("## Rehearsal: UNKNOWN — — (run —)\n"));
  }

  @Test
  public void numbersAndColours() {
    assertEquals("0.1235", Fmt.metric(0.123456));
    assertEquals("12.35", Fmt.metric(12.3456));
    assertEquals("1235", Fmt.metric(1234.5678));
    assertEquals("0.02", Fmt.metric(0.02));
    assertEquals("1.230e-05", Fmt.metric(0.0000123));
    assertEquals("+0.02", Fmt.signed(0.02));
    assertEquals("—", Fmt.metric(null));
    assertEquals("40,213", Fmt.count(40213.0));
    assertEquals("2m 01s", Fmt.seconds(121.4));
    assertEquals("#ffffff", DriftHeatmap.colour(0));
    assertEquals("#8b0000", DriftHeatmap.colour(0.25));
    assertEquals("#8b0000", DriftHeatmap.colour(3));
    assertEquals("#c58080", DriftHeatmap.colour(0.125));
  }

  private static String element(String html, String start, String end) {
    int from = html.indexOf(start);
    assertTrue(start + " missing", from >= 0);
    return html.substring(from, html.indexOf(end, from) + end.length());
  }

  static int count(String text, String what) {
    int n = 0;
    for (int at = text.indexOf(what); at >= 0; at = text.indexOf(what, at + what.length())) {
      n++;
    }
    return n;
  }

  static List<String> all(String text, Pattern p) {
    List<String> out = new ArrayList<>();
    Matcher m = p.matcher(text);
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }
}
