package io.rehearsal.pipelines.report;

import java.util.List;
import java.util.Locale;
import org.apache.commons.text.StringEscapeUtils;

/** A minimal HTML/SVG builder: text and attribute values are always escaped; markup goes through {@link #raw}. */
final class HtmlWriter {

  /** A table cell: its text, an optional CSS class and an optional tooltip. */
  record Cell(String text, String cssClass, String title) {
    static Cell of(String text) {
      return new Cell(text, null, null);
    }

    static Cell num(String text) {
      return new Cell(text, "num", null);
    }

    static Cell status(String status) {
      return new Cell(Fmt.orNone(status), statusClass(status), null);
    }
  }

  private final StringBuilder sb = new StringBuilder(32_768);

  /** Escapes &, <, >, " and ' (and drops characters XML cannot hold); other characters stay as UTF-8 text. */
  static String esc(String s) {
    return s == null ? "" : StringEscapeUtils.escapeXml10(s);
  }

  /** The CSS class of a status word: PASS/done green, FAIL/failed red, WARN/INCONCLUSIVE amber, else grey. */
  static String statusClass(String status) {
    if (status == null) {
      return "s-none";
    }
    return switch (status.toUpperCase(Locale.ROOT)) {
      case "PASS", "OK", "DONE", "RESUMED", "TRUE" -> "s-pass";
      case "FAIL", "FAILED", "ALERT", "ERROR", "FALSE" -> "s-fail";
      case "WARN", "INCONCLUSIVE" -> "s-warn";
      default -> "s-none";
    };
  }

  HtmlWriter raw(String s) {
    sb.append(s);
    return this;
  }

  HtmlWriter text(String s) {
    sb.append(esc(s));
    return this;
  }

  /** Opens a tag; attrs are name/value pairs, a null value leaves the attribute out. */
  HtmlWriter open(String tag, String... attrs) {
    sb.append('<').append(tag);
    for (int i = 0; i + 1 < attrs.length; i += 2) {
      if (attrs[i + 1] != null) {
        sb.append(' ').append(attrs[i]).append("=\"").append(esc(attrs[i + 1])).append('"');
      }
    }
    sb.append('>');
    return this;
  }

  HtmlWriter close(String tag) {
    sb.append("</").append(tag).append('>');
    return this;
  }

  /** An element with escaped text content. */
  HtmlWriter el(String tag, String text, String... attrs) {
    return open(tag, attrs).text(text).close(tag);
  }

  /** A self-closing (SVG) element. */
  HtmlWriter empty(String tag, String... attrs) {
    open(tag, attrs);
    sb.setLength(sb.length() - 1);
    sb.append("/>");
    return this;
  }

  HtmlWriter nl() {
    sb.append('\n');
    return this;
  }

  HtmlWriter table(String id, List<String> headers, List<List<Cell>> rows) {
    return table(id, headers, rows, null);
  }

  /**
   * A table whose rows may each carry a note (null for none), shown in a row of its own under the row, across every
   * column: a long note as a column of its own made the table wider than its card.
   */
  HtmlWriter table(String id, List<String> headers, List<List<Cell>> rows, List<String> notes) {
    open("table", "id", id).open("thead").open("tr");
    headers.forEach(h -> el("th", h));
    close("tr").close("thead").nl().open("tbody");
    for (int i = 0; i < rows.size(); i++) {
      String note = notes == null ? null : notes.get(i);
      open("tr");
      for (Cell c : rows.get(i)) {
        el("td", c.text() == null ? Fmt.NONE : c.text(), "class", c.cssClass(), "title", c.title());
      }
      close("tr").nl();
      if (note != null) {
        open("tr", "class", "note-row").el("td", note, "class", "note", "colspan", String.valueOf(headers.size()))
            .close("tr").nl();
      }
    }
    return close("tbody").close("table").nl();
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
