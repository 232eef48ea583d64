package io.rehearsal.pipelines.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Segments (rows) × features (columns) of result.drift.features as an inline SVG heatmap, coloured by PSI on a
 * continuous scale from white (0) to dark red (≥ 0.25, the conventional "significant shift" level). Each cell carries
 * a tooltip with PSI, level and the other statistics; ALERT cells get a dark outline.
 */
final class DriftHeatmap {

  static final double PSI_MAX = 0.25;
  private static final int[] WHITE = {255, 255, 255};
  private static final int[] DARK_RED = {139, 0, 0};
  private static final int CELL_W = 34;
  private static final int CELL_H = 28;
  private static final int ROW_LABEL_W = 190;
  private static final int LEGEND_H = 56;

  private DriftHeatmap() {}

  /** The fill for a PSI value: linear in RGB from white at 0 to dark red at {@link #PSI_MAX} and above. */
  static String colour(double psi) {
    double t = Math.max(0, Math.min(1, psi / PSI_MAX));
    return String.format(Locale.ROOT, "#%02x%02x%02x", mix(0, t), mix(1, t), mix(2, t));
  }

  private static int mix(int channel, double t) {
    return (int) Math.round(WHITE[channel] + (DARK_RED[channel] - WHITE[channel]) * t);
  }

  static void render(HtmlWriter w, List<JsonNode> features) {
    Set<String> segments = new LinkedHashSet<>();
    Map<String, String[]> columns = new LinkedHashMap<>(); // key → {entity, feature}
    Set<String> entities = new LinkedHashSet<>();
    Map<String, JsonNode> cells = new HashMap<>();
    for (JsonNode f : features) {
      String segment = Fmt.orNone(Json.str(f, "segment"));
      String entity = Json.str(f, "entity");
      String feature = Fmt.orNone(Json.str(f, "feature"));
      String col = (entity == null ? "" : entity) + "\u0000" + feature;
      segments.add(segment);
      columns.putIfAbsent(col, new String[] {entity, feature});
      if (entity != null) {
        entities.add(entity);
      }
      cells.putIfAbsent(segment + "\u0001" + col, f);
    }
    boolean showEntity = entities.size() > 1;
    List<String> colKeys = new ArrayList<>(columns.keySet());
    int maxLabel = 0;
    for (String[] c : columns.values()) {
      maxLabel = Math.max(maxLabel, columnLabel(c, showEntity).length());
    }
    int headH = Math.min(260, 16 + (int) Math.ceil(maxLabel * 6.2 * 0.72));
    int width = Math.max(ROW_LABEL_W + colKeys.size() * CELL_W + 60, ROW_LABEL_W + 480);
    int height = headH + segments.size() * CELL_H + LEGEND_H;

    w.open("svg", "id", "drift-heatmap", "width", String.valueOf(width),
        "height", String.valueOf(height), "viewBox", "0 0 " + width + " " + height, "role", "img",
        "aria-label", "PSI by segment and feature").nl();
    for (int c = 0; c < colKeys.size(); c++) {
      double cx = ROW_LABEL_W + c * CELL_W + CELL_W / 2.0 + 4;
      double cy = headH - 6;
      w.el("text", columnLabel(columns.get(colKeys.get(c)), showEntity), "x", Fmt.px(cx), "y", Fmt.px(cy),
          "class", "hl", "transform", "rotate(-45 " + Fmt.px(cx) + " " + Fmt.px(cy) + ")");
    }
    w.nl();
    int r = 0;
    for (String segment : segments) {
      int y = headH + r++ * CELL_H;
      w.el("text", segment, "x", String.valueOf(ROW_LABEL_W - 8), "y", String.valueOf(y + CELL_H / 2 + 4), "class", "rl");
      for (int c = 0; c < colKeys.size(); c++) {
        JsonNode f = cells.get(segment + "\u0001" + colKeys.get(c));
        int x = ROW_LABEL_W + c * CELL_W;
        String[] col = columns.get(colKeys.get(c));
        Double psi = f == null ? null : Json.num(f, "psi");
        String level = f == null ? null : Json.str(f, "level");
        w.open("g", "class", "cell");
        w.open("title").text(tooltip(segment, col, f, psi, level)).close("title");
        if (psi == null) {
          w.empty("rect", "x", String.valueOf(x), "y", String.valueOf(y), "width", String.valueOf(CELL_W - 2),
              "height", String.valueOf(CELL_H - 2), "class", "na");
        } else {
          boolean alert = "ALERT".equalsIgnoreCase(level);
          w.empty("rect", "x", String.valueOf(x), "y", String.valueOf(y), "width", String.valueOf(CELL_W - 2),
              "height", String.valueOf(CELL_H - 2), "fill", colour(psi), "data-psi", Fmt.metric(psi),
              "class", alert ? "hm alert" : "hm");
          w.el("text", String.format(Locale.ROOT, "%.2f", psi), "x", String.valueOf(x + (CELL_W - 2) / 2),
              "y", String.valueOf(y + CELL_H / 2 + 3), "class", psi / PSI_MAX > 0.55 ? "cv dark" : "cv");
        }
        w.close("g");
      }
      w.nl();
    }
    legend(w, headH + segments.size() * CELL_H + 14);
    w.close("svg").nl();
  }

  private static void legend(HtmlWriter w, int y) {
    int x = ROW_LABEL_W;
    int lw = 240;
    w.open("defs").open("linearGradient", "id", "psi-scale", "x1", "0", "x2", "1", "y1", "0", "y2", "0");
    w.empty("stop", "offset", "0", "stop-color", colour(0));
    w.empty("stop", "offset", "1", "stop-color", colour(PSI_MAX));
    w.close("linearGradient").close("defs");
    w.el("text", "PSI", "x", String.valueOf(x - 8), "y", String.valueOf(y + 11), "class", "rl");
    w.empty("rect", "x", String.valueOf(x), "y", String.valueOf(y), "width", String.valueOf(lw), "height", "14",
        "fill", "url(#psi-scale)", "stroke", "#8c959f", "stroke-width", "0.5");
    double[] ticks = {0, 0.05, 0.1, 0.15, 0.2, 0.25};
    for (double t : ticks) {
      String tx = Fmt.px(x + t / PSI_MAX * lw);
      w.empty("line", "x1", tx, "y1", String.valueOf(y + 14), "x2", tx, "y2", String.valueOf(y + 18), "class", "axis");
      w.el("text", t == PSI_MAX ? "≥ 0.25" : Fmt.metric(t), "x", tx, "y", String.valueOf(y + 30), "class", "tick");
    }
    w.empty("rect", "x", String.valueOf(x + lw + 30), "y", String.valueOf(y), "width", "14", "height", "14",
        "class", "hm alert", "fill", colour(PSI_MAX));
    w.el("text", "ALERT", "x", String.valueOf(x + lw + 50), "y", String.valueOf(y + 11), "class", "lg");
    w.empty("rect", "x", String.valueOf(x + lw + 110), "y", String.valueOf(y), "width", "14", "height", "14",
        "class", "na");
    w.el("text", "not computed", "x", String.valueOf(x + lw + 130), "y", String.valueOf(y + 11), "class", "lg");
    w.nl();
  }

  private static String columnLabel(String[] col, boolean showEntity) {
    return showEntity && col[0] != null ? col[0] + " · " + col[1] : col[1];
  }

  private static String tooltip(String segment, String[] col, JsonNode f, Double psi, String level) {
    StringBuilder t = new StringBuilder(segment).append(" · ");
    if (col[0] != null) {
      t.append(col[0]).append(' ');
    }
    t.append(col[1]).append(": ");
    if (f == null) {
      return t.append("not computed").toString();
    }
    t.append("PSI ").append(Fmt.metric(psi)).append(", level ").append(Fmt.orNone(level));
    for (String[] s : new String[][] {{"js", "JS"}, {"ks", "KS"}, {"wasserstein", "W1"}, {"severity", "severity"}}) {
      Double v = Json.num(f, s[0]);
      if (v != null) {
        t.append(", ").append(s[1]).append(' ').append(Fmt.metric(v));
      }
    }
    return t.toString();
  }
}
