package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;

/**
 * Metric deltas (candidate − baseline) with their confidence intervals as an inline SVG forest plot: one row per
 * result.metrics entry, grouped in one panel per metric so that each metric gets an axis on its own scale
 * (NDCG and revenue deltas differ by orders of magnitude). A gated segment·metric also shows its
 * non-inferiority bound (−margin) as a dashed line and colours its point by the gate's status.
 */
final class ForestPlot {

  static final int WIDTH = 960;
  private static final int LABEL_W = 260;
  private static final int VALUE_W = 210;
  private static final int ROW_H = 26;
  private static final int PANEL_HEAD = 24;
  private static final int AXIS_H = 30;
  private static final int PANEL_GAP = 14;
  private static final int LEGEND_H = 26;

  private record Row(String segment, String metric, Double delta, Double low, Double high, Double margin,
      String status, JsonNode metricNode) {}

  private ForestPlot() {}

  static void render(HtmlWriter w, List<JsonNode> metrics, List<JsonNode> gates) {
    Map<String, JsonNode> gateByKey = new HashMap<>();
    for (JsonNode g : gates) {
      gateByKey.putIfAbsent(key(Json.str(g, "segment"), Json.str(g, "metric")), g);
    }
    Map<String, List<Row>> panels = new LinkedHashMap<>();
    for (JsonNode m : metrics) {
      String segment = Json.str(m, "segment");
      String metric = Json.str(m, "metric");
      Double delta = Json.num(m, "delta");
      Double base = Json.num(m, "baseline");
      Double cand = Json.num(m, "candidate");
      if (delta == null && base != null && cand != null) {
        delta = cand - base;
      }
      JsonNode gate = gateByKey.get(key(segment, metric));
      Double margin = gate == null ? null : Json.num(gate, "margin");
      String status = gate == null ? null : Json.str(gate, "status");
      panels.computeIfAbsent(Fmt.orNone(metric), k -> new ArrayList<>())
          .add(new Row(segment, metric, delta, Json.num(m, "ci_low"), Json.num(m, "ci_high"), margin, status, m));
    }

    int height = LEGEND_H;
    for (List<Row> rows : panels.values()) {
      height += PANEL_HEAD + rows.size() * ROW_H + AXIS_H + PANEL_GAP;
    }
    w.open("svg", "id", "forest", "width", String.valueOf(WIDTH),
        "height", String.valueOf(height), "viewBox", "0 0 " + WIDTH + " " + height, "role", "img",
        "aria-label", "Metric deltas with confidence intervals").nl();
    legend(w);
    int y = LEGEND_H;
    for (Map.Entry<String, List<Row>> p : panels.entrySet()) {
      y = panel(w, p.getKey(), p.getValue(), y);
    }
    w.close("svg").nl();
  }

  private static void legend(HtmlWriter w) {
    int x = LABEL_W + 10;
    w.empty("rect", "x", String.valueOf(x), "y", "8", "width", "10", "height", "10", "rx", "5", "fill", "#24292f");
    w.el("text", "delta (candidate − baseline)", "x", String.valueOf(x + 16), "y", "17", "class", "lg");
    x += 200;
    w.empty("line", "x1", String.valueOf(x), "y1", "13", "x2", String.valueOf(x + 26), "y2", "13", "stroke", "#24292f",
        "stroke-width", "2");
    w.el("text", "confidence interval", "x", String.valueOf(x + 32), "y", "17", "class", "lg");
    x += 160;
    w.empty("line", "x1", String.valueOf(x + 5), "y1", "4", "x2", String.valueOf(x + 5), "y2", "22", "stroke", "#bf8700",
        "stroke-width", "2", "stroke-dasharray", "4 3");
    w.el("text", "−margin (gate's non-inferiority bound)", "x", String.valueOf(x + 14), "y", "17", "class", "lg");
    w.nl();
  }

  private static int panel(HtmlWriter w, String metric, List<Row> rows, int top) {
    double lo = 0;
    double hi = 0;
    for (Row r : rows) {
      for (Double v : new Double[] {r.delta(), r.low(), r.high(), r.margin() == null ? null : -r.margin()}) {
        if (v != null) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    if (hi - lo <= 0) {
      lo = -1;
      hi = 1;
    }
    double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    double step = niceStep((hi - lo) / 6);
    lo = Math.floor(lo / step) * step;
    hi = Math.ceil(hi / step) * step;
    double x0 = LABEL_W + 10;
    double x1 = WIDTH - VALUE_W - 10;
    final double flo = lo;
    final double fhi = hi;
    DoubleUnaryOperator sx = v -> x0 + (v - flo) / (fhi - flo) * (x1 - x0);

    w.open("g", "class", "panel", "data-metric", metric).nl();
    w.el("text", metric, "x", "4", "y", String.valueOf(top + 16), "class", "ph");
    int rowsTop = top + PANEL_HEAD;
    int rowsBottom = rowsTop + rows.size() * ROW_H;
    // grid and ticks
    for (int i = 0; ; i++) {
      double t = lo + i * step;
      if (t > hi + step * 1e-9) {
        break;
      }
      String tx = Fmt.px(sx.applyAsDouble(t));
      w.empty("line", "x1", tx, "y1", String.valueOf(rowsTop), "x2", tx, "y2", String.valueOf(rowsBottom), "class", "grid");
      w.empty("line", "x1", tx, "y1", String.valueOf(rowsBottom), "x2", tx, "y2", String.valueOf(rowsBottom + 5),
          "class", "axis");
      w.el("text", Fmt.metric(clean(t, step)), "x", tx, "y", String.valueOf(rowsBottom + 18), "class", "tick");
    }
    w.empty("line", "x1", Fmt.px(x0), "y1", String.valueOf(rowsBottom), "x2", Fmt.px(x1), "y2",
        String.valueOf(rowsBottom), "class", "axis");
    w.el("text", "Δ " + metric, "x", Fmt.px(x1), "y", String.valueOf(rowsBottom + 28), "class", "tick end");
    w.nl();

    int y = rowsTop;
    int i = 0;
    for (Row r : rows) {
      double cy = y + ROW_H / 2.0;
      String colour = colour(r.status());
      w.open("g", "class", "row").open("title").text(tooltip(r)).close("title");
      if (i++ % 2 == 0) {
        w.empty("rect", "x", "0", "y", String.valueOf(y), "width", String.valueOf(WIDTH), "height",
            String.valueOf(ROW_H), "class", "stripe");
      }
      w.el("text", Fmt.orNone(r.segment()) + " · " + Fmt.orNone(r.metric()), "x", String.valueOf(LABEL_W),
          "y", Fmt.px(cy + 4), "class", "rl");
      if (r.margin() != null) {
        String mx = Fmt.px(sx.applyAsDouble(-r.margin()));
        w.empty("line", "x1", mx, "y1", String.valueOf(y + 2), "x2", mx, "y2", String.valueOf(y + ROW_H - 2),
            "class", "margin");
      }
      if (r.low() != null && r.high() != null) {
        w.empty("line", "x1", Fmt.px(sx.applyAsDouble(r.low())), "y1", Fmt.px(cy), "x2",
            Fmt.px(sx.applyAsDouble(r.high())), "y2", Fmt.px(cy), "stroke", colour, "stroke-width", "2");
      }
      if (r.delta() != null) {
        w.empty("circle", "cx", Fmt.px(sx.applyAsDouble(r.delta())), "cy", Fmt.px(cy), "r", "5", "fill", colour,
            "class", "point");
      }
      String value = r.delta() == null ? "no estimate" : Fmt.signed(r.delta()) + " " + Fmt.ci(r.low(), r.high());
      w.el("text", value, "x", String.valueOf(WIDTH - VALUE_W), "y", Fmt.px(cy + 4), "class", "rv");
      w.close("g").nl();
      y += ROW_H;
    }
    // the zero line goes over the rows
    String zx = Fmt.px(sx.applyAsDouble(0));
    w.empty("line", "x1", zx, "y1", String.valueOf(rowsTop), "x2", zx, "y2", String.valueOf(rowsBottom), "class", "zero");
    w.close("g").nl();
    return rowsBottom + AXIS_H + PANEL_GAP;
  }

  private static String tooltip(Row r) {
    JsonNode m = r.metricNode();
    StringBuilder t = new StringBuilder();
    t.append(Fmt.orNone(r.segment())).append(" · ").append(Fmt.orNone(r.metric()))
        .append(": baseline ").append(Fmt.metric(Json.num(m, "baseline")))
        .append(", candidate ").append(Fmt.metric(Json.num(m, "candidate")))
        .append(", delta ").append(Fmt.signed(r.delta())).append(" ").append(Fmt.ci(r.low(), r.high()));
    Double lift = Json.num(m, "relative_lift");
    if (lift != null) {
      t.append(", relative lift ").append(Fmt.signed(lift * 100)).append('%');
    }
    Double p = Json.num(m, "p_value");
    if (p != null) {
      t.append(", p ").append(Fmt.metric(p));
    }
    Double users = Json.num(m, "users");
    if (users != null) {
      t.append(", ").append(Fmt.count(users)).append(" users");
    }
    if (r.margin() != null) {
      t.append("; gate ").append(Fmt.orNone(r.status())).append(", margin ").append(Fmt.metric(r.margin()));
    }
    return t.toString();
  }

  static String colour(String status) {
    return switch (HtmlWriter.statusClass(status)) {
      case "s-pass" -> "#1a7f37";
      case "s-fail" -> "#cf222e";
      case "s-warn" -> "#bf8700";
      default -> "#24292f";
    };
  }

  /** 1, 2 or 5 × a power of ten, at least {@code rough}. */
  static double niceStep(double rough) {
    double mag = Math.pow(10, Math.floor(Math.log10(rough)));
    double norm = rough / mag;
    double nice = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
    return nice * mag;
  }

  private static double clean(double t, double step) {
    return Math.abs(t) < step * 1e-6 ? 0 : new BigDecimal(t).round(new MathContext(10)).doubleValue();
  }

  private static String key(String segment, String metric) {
    return segment + "\u0000" + metric;
  }
}
