package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The report of a rehearsal run, rendered from the run's plan and result JSON. A pure function of its inputs: no
 * Spark, no IO, no clock. Every field of the inputs may be absent or null — a run that failed at its first step still
 * gets a report with verdict ERROR and the failure.
 *
 * <p>{@link #html} is one self-contained page (embedded CSS, inline SVG charts, nothing loaded from the network);
 * {@link #markdown} is a short summary for a pull-request comment that points at the HTML report.
 */
public final class RunReport {

  private RunReport() {}

  /** The self-contained HTML report (UTF-8 text). */
  public static String html(JsonNode plan, JsonNode result) {
    return HtmlReport.render(Json.orMissing(plan), Json.orMissing(result));
  }

  /** The Markdown summary for a PR comment, at most ~60 lines; {@code reportPath} is where the HTML report lives. */
  public static String markdown(JsonNode plan, JsonNode result, String reportPath) {
    return MarkdownSummary.render(Json.orMissing(plan), Json.orMissing(result), reportPath);
  }
}
