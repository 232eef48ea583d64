package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.transforms.ranking.AlsRanker;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.MetricDialect;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.ranking.UserEvaluation;
import io.rehearsal.transforms.slicing.SegmentSpec;
import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.MetricGate;
import io.rehearsal.transforms.stats.MultipleTesting;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules of the {@code models}, {@code evaluation} and {@code gates} sections that the JSON Schema cannot
 * express (which fields go with which model kind, the cutoff inside every evaluated segment's window, gate
 * metrics that the evaluation computes), and their binding to {@link ModelSpec}, {@link EvaluationSpec}
 * and {@link GatesSection}.
 */
final class EvaluationRules {

  private static final Map<String, Set<String>> FIELDS_OF_KIND = Map.of(
      "popularity", Set.of("scope", "lookback_days", "event_weights"),
      "recency_popularity", Set.of("scope", "lookback_days", "event_weights", "half_life_days"),
      "co_visitation", Set.of("scope", "lookback_days", "history"),
      "als", Set.of("lookback_days", "event_weights", "rank", "max_iter", "reg_param", "alpha", "seed"),
      "spark_ml", Set.of("path", "user_ids"),
      "table", Set.of("path", "format", "table_version", "user_ids"));
  private static final Set<String> COMMON_FIELDS = Set.of("kind", "version", "description", "fallback");
  private static final Set<String> AGGREGATE_GUARDRAILS = Set.of("scoring_failures", "scoring_time_ratio",
      "fallback_share");

  private EvaluationRules() {}

  static void check(JsonNode doc, List<ManifestProblem> problems) {
    boolean models = doc.has("models");
    boolean evaluation = doc.has("evaluation");
    boolean gates = doc.has("gates");
    if (models || evaluation || gates) {
      for (String section : List.of("models", "evaluation", "gates")) {
        if (!doc.has(section)) {
          problems.add(new ManifestProblem(section, "missing: 'models', 'evaluation' and 'gates' go together (found "
              + present(models, evaluation, gates) + "); declare all three, see docs/metrics.md"));
        }
      }
    }
    if (models) {
      for (String role : List.of("baseline", "candidate")) {
        checkModel(doc.get("models").get(role), "models." + role, problems);
      }
    }
    List<Integer> ks = new ArrayList<>();
    if (evaluation) {
      checkEvaluation(doc, doc.get("evaluation"), problems);
      doc.get("evaluation").path("k").forEach(k -> ks.add(k.asInt()));
    }
    if (ks.isEmpty()) {
      ks.addAll(EvaluationSpec.DEFAULT_KS);
    }
    if (gates) {
      JsonNode g = doc.get("gates");
      checkPairedMetric(g.get("primary"), "gates.primary", ks, problems);
      JsonNode secondary = g.path("secondary");
      for (int i = 0; i < secondary.size(); i++) {
        checkPairedMetric(secondary.get(i), "gates.secondary[" + i + "]", ks, problems);
      }
      JsonNode guardrails = g.path("guardrails");
      for (int i = 0; i < guardrails.size(); i++) {
        checkGuardrail(guardrails.get(i), "gates.guardrails[" + i + "]", ks, problems);
      }
      checkEachMetricOnce(g, problems);
    }
  }

  private static String present(boolean models, boolean evaluation, boolean gates) {
    List<String> found = new ArrayList<>();
    if (models) {
      found.add("models");
    }
    if (evaluation) {
      found.add("evaluation");
    }
    if (gates) {
      found.add("gates");
    }
    return String.join(", ", found);
  }

  private static void checkModel(JsonNode model, String at, List<ManifestProblem> problems) {
    String kind = model.get("kind").asText();
    Set<String> allowed = FIELDS_OF_KIND.get(kind);
    model.fieldNames().forEachRemaining(field -> {
      if (!COMMON_FIELDS.contains(field) && !allowed.contains(field)) {
        problems.add(new ManifestProblem(at + "." + field, "does not apply to kind '" + kind + "'; fields of that kind: "
            + new TreeSet<>(allowed)));
      }
    });
    if (("spark_ml".equals(kind) || "table".equals(kind)) && !model.has("path")) {
      problems.add(new ManifestProblem(at + ".path", "required for kind '" + kind + "': the "
          + ("table".equals(kind) ? "recommendations table (user_id, item_id, rank or score)" : "saved model folder")));
    }
  }

  private static void checkEvaluation(JsonNode doc, JsonNode evaluation, List<ManifestProblem> problems) {
    LocalDate cutoff = ManifestLoader.date(evaluation.get("cutoff"), "evaluation.cutoff", problems);
    int horizon = evaluation.get("horizon_days").asInt();
    Map<String, JsonNode> segments = new LinkedHashMap<>();
    doc.get("segments").forEach(s -> segments.put(s.get("name").asText(), s));
    JsonNode chosen = evaluation.path("segments");
    for (int i = 0; i < chosen.size(); i++) {
      if (!segments.containsKey(chosen.get(i).asText())) {
        problems.add(new ManifestProblem("evaluation.segments[" + i + "]", "unknown segment '" + chosen.get(i).asText()
            + "'; expected one of " + segments.keySet()));
      }
    }
    if (cutoff == null) {
      return;
    }
    for (JsonNode s : segments.values()) {
      String name = s.get("name").asText();
      if (chosen.size() > 0 && !ManifestLoader.containsText(chosen, name)) {
        continue;
      }
      LocalDate start;
      LocalDate end;
      try {
        start = LocalDate.parse(s.path("window").path("start").asText());
        end = LocalDate.parse(s.path("window").path("end").asText());
      } catch (DateTimeParseException e) {
        continue; // reported with the segment
      }
      if (!cutoff.isAfter(start)) {
        problems.add(new ManifestProblem("evaluation.cutoff", "cutoff " + cutoff + " leaves segment '" + name
            + "' no training data: its window starts " + start + "; choose a cutoff after " + start));
      }
      if (cutoff.plusDays(horizon).isAfter(end)) {
        problems.add(new ManifestProblem("evaluation.horizon_days", "cutoff " + cutoff + " + " + horizon
            + " days ends after the window of segment '" + name + "' (end " + end + ", exclusive), whose snapshot has "
            + "no events from then on; end the horizon on or before " + end));
      }
    }
  }

  /**
   * Two paired gates on one metric would be two verdicts on one question, and the looser margin must not hide
   * the stricter: each metric gets one margin.
   */
  private static void checkEachMetricOnce(JsonNode g, List<ManifestProblem> problems) {
    Map<String, String> first = new LinkedHashMap<>();
    List<Map.Entry<String, JsonNode>> all = new ArrayList<>();
    all.add(Map.entry("gates.primary", g.get("primary")));
    for (String role : List.of("secondary", "guardrails")) {
      JsonNode list = g.path(role);
      for (int i = 0; i < list.size(); i++) {
        all.add(Map.entry("gates." + role + "[" + i + "]", list.get(i)));
      }
    }
    for (Map.Entry<String, JsonNode> e : all) {
      if (e.getKey().startsWith("gates.guardrails") && !e.getValue().has("margin")) {
        continue; // a bounded aggregate guardrail is a check of its own, not a paired gate keyed by its metric
      }
      String metric = e.getValue().path("metric").asText();
      String earlier = first.putIfAbsent(metric, e.getKey());
      if (earlier != null) {
        problems.add(new ManifestProblem(e.getKey() + ".metric", "'" + metric + "' is already gated by " + earlier
            + "; gate each metric once (keep the stricter margin, or remove one of the two)"));
      }
    }
  }

  private static void checkPairedMetric(JsonNode gate, String at, List<Integer> ks, List<ManifestProblem> problems) {
    JsonNode margin = gate.path("margin");
    double value = margin.has("relative") ? margin.path("relative").asDouble(-1) : margin.path("absolute").asDouble(-1);
    if (value == 0 && !gate.has("mde")) {
      problems.add(new ManifestProblem(at + ".margin", "a margin of 0 needs an 'mde': with margin 0 only a candidate "
          + "shown better than the baseline can pass, and the users a segment needs are planned for an improvement of "
          + "mde; declare mde (the improvement to detect, on the metric's scale) or a margin above 0"));
    }
    String metric = gate.get("metric").asText();
    String family = metric.substring(0, metric.indexOf('@'));
    int k = Integer.parseInt(metric.substring(metric.indexOf('@') + 1));
    if (!UserEvaluation.METRICS.contains(family)) {
      problems.add(new ManifestProblem(at + ".metric", "unknown per-user metric '" + family + "' in '" + metric
          + "'; expected one of " + UserEvaluation.METRICS + " followed by @k"));
    } else if (!ks.contains(k)) {
      problems.add(new ManifestProblem(at + ".metric", "k = " + k + " of '" + metric + "' is not evaluated; add " + k
          + " to evaluation.k (now " + ks + ")"));
    }
  }

  private static void checkGuardrail(JsonNode gate, String at, List<Integer> ks, List<ManifestProblem> problems) {
    String metric = gate.get("metric").asText();
    boolean aggregate = AGGREGATE_GUARDRAILS.contains(metric) || metric.startsWith("coverage@");
    boolean paired = gate.has("margin");
    boolean bounded = gate.has("min") || gate.has("max") || gate.has("min_ratio_to_baseline")
        || gate.has("max_ratio_to_baseline");
    if (aggregate) {
      if (paired) {
        problems.add(new ManifestProblem(at + ".margin", "'" + metric + "' is one number per segment, not a per-user "
            + "metric: bound it with min, max, min_ratio_to_baseline or max_ratio_to_baseline"));
      }
      if (!bounded) {
        problems.add(new ManifestProblem(at, "guardrail '" + metric + "' needs a bound: min, max, "
            + "min_ratio_to_baseline or max_ratio_to_baseline"));
      }
      if (metric.startsWith("coverage@")) {
        int k = Integer.parseInt(metric.substring("coverage@".length()));
        if (!ks.contains(k)) {
          problems.add(new ManifestProblem(at + ".metric", "k = " + k + " of '" + metric + "' is not evaluated; add "
              + k + " to evaluation.k (now " + ks + ")"));
        }
      }
      return;
    }
    if (bounded || !paired) {
      problems.add(new ManifestProblem(at, "the per-user metric '" + metric + "' is gated by a non-inferiority "
          + "'margin' (absolute or relative), not by min/max bounds"));
    }
    checkPairedMetric(gate, at, ks, problems);
  }

  static ModelSpec model(JsonNode doc, String role, String lake) {
    JsonNode m = doc.path("models").get(role);
    if (m == null) {
      return null;
    }
    Map<String, Double> weights = new LinkedHashMap<>();
    m.path("event_weights").fields().forEachRemaining(e -> weights.put(e.getKey(), e.getValue().asDouble()));
    ModelSpec.Kind kind = ModelSpec.Kind.valueOf(m.get("kind").asText().toUpperCase(Locale.ROOT));
    return new ModelSpec(role, kind, m.get("version").asText(),
        "global".equals(m.path("scope").asText()) ? ModelSpec.Scope.GLOBAL : ModelSpec.Scope.SEGMENT,
        m.path("lookback_days").asInt(ModelSpec.DEFAULT_LOOKBACK_DAYS),
        weights.isEmpty() ? ModelSpec.DEFAULT_EVENT_WEIGHTS : weights,
        m.path("half_life_days").asDouble(ModelSpec.DEFAULT_HALF_LIFE_DAYS),
        m.path("history").asInt(ModelSpec.DEFAULT_HISTORY),
        new AlsRanker.Params(m.path("rank").asInt(16), m.path("max_iter").asInt(10), m.path("reg_param").asDouble(0.05),
            m.path("alpha").asDouble(10), m.path("seed").asLong(7), 4),
        m.has("path") ? ManifestLoader.resolve(lake, m.get("path").asText()) : null,
        m.path("format").asText("delta"),
        m.has("table_version") ? m.get("table_version").asLong() : null,
        !"snapshot".equals(m.path("user_ids").asText()),
        !"none".equals(m.path("fallback").asText()));
  }

  static EvaluationSpec evaluation(JsonNode doc, List<SegmentSpec> segments) {
    JsonNode e = doc.get("evaluation");
    if (e == null) {
      return null;
    }
    List<String> chosen = new ArrayList<>();
    if (e.has("segments")) {
      e.get("segments").forEach(n -> chosen.add(n.asText()));
    } else {
      segments.forEach(s -> chosen.add(s.name()));
    }
    List<Integer> ks = new ArrayList<>();
    e.path("k").forEach(n -> ks.add(n.asInt()));
    Map<String, Double> relevance = new LinkedHashMap<>();
    e.path("relevance").fields().forEachRemaining(f -> relevance.put(f.getKey(), f.getValue().asDouble()));
    JsonNode d = e.path("dialect");
    MetricDialect dialect = new MetricDialect(
        MetricDialect.Gain.valueOf(d.path("gain").asText("exponential").toUpperCase(Locale.ROOT)),
        MetricDialect.Idcg.valueOf(d.path("idcg").asText("truncated").toUpperCase(Locale.ROOT)),
        MetricDialect.MapDivisor.valueOf(d.path("map_divisor").asText("min_k_rel").toUpperCase(Locale.ROOT)),
        MetricDialect.UsersWithoutTruth.valueOf(d.path("users_without_truth").asText("excluded").toUpperCase(Locale.ROOT)));
    List<Integer> effectiveKs = ks.isEmpty() ? EvaluationSpec.DEFAULT_KS : ks;
    List<String> slices = new ArrayList<>();
    if (e.has("slices")) {
      e.get("slices").forEach(n -> slices.add(n.asText()));
    } else {
      slices.addAll(EvaluationSpec.ALL_SLICES);
    }
    return new EvaluationSpec(chosen, LocalDate.parse(e.get("cutoff").asText()), e.get("horizon_days").asInt(),
        effectiveKs, relevance.isEmpty() ? EvaluationSpec.DEFAULT_RELEVANCE : relevance,
        e.path("exclude_purchased").asBoolean(true), dialect,
        e.path("confidence").asDouble(EvaluationSpec.DEFAULT_CONFIDENCE),
        e.path("bootstrap").path("resamples").asInt(EvaluationSpec.DEFAULT_RESAMPLES),
        e.path("bootstrap").path("seed").asLong(1),
        e.path("interleaving").path("k").asInt(Collections.max(effectiveKs)),
        e.path("interleaving").path("seed").asLong(1),
        e.path("rbo_persistence").asDouble(EvaluationSpec.DEFAULT_RBO_PERSISTENCE),
        e.path("cold_user_max_events").asInt(EvaluationSpec.DEFAULT_COLD_USER_MAX_EVENTS),
        e.path("head_items_share").asDouble(EvaluationSpec.DEFAULT_HEAD_ITEMS_SHARE),
        e.path("new_sku_days").asInt(EvaluationSpec.DEFAULT_NEW_SKU_DAYS), slices);
  }

  static GatesSection gates(JsonNode doc) {
    JsonNode g = doc.get("gates");
    if (g == null) {
      return null;
    }
    double alpha = g.path("alpha").asDouble(GatesSection.DEFAULT_ALPHA);
    double power = g.path("power").asDouble(GatesSection.DEFAULT_POWER);
    List<MetricGate> paired = new ArrayList<>();
    paired.add(metricGate(g.get("primary"), MetricGate.Role.PRIMARY, alpha, power));
    g.path("secondary").forEach(n -> paired.add(metricGate(n, MetricGate.Role.SECONDARY, alpha, power)));
    List<Guardrail> guardrails = new ArrayList<>();
    for (JsonNode n : g.path("guardrails")) {
      if (n.has("margin")) {
        paired.add(metricGate(n, MetricGate.Role.GUARDRAIL, alpha, power));
      } else {
        guardrails.add(new Guardrail(n.get("metric").asText(), number(n, "min"), number(n, "max"),
            number(n, "min_ratio_to_baseline"), number(n, "max_ratio_to_baseline")));
      }
    }
    MultipleTesting.Method correction = MultipleTesting.Method.valueOf(
        g.path("correction").asText("holm").toUpperCase(Locale.ROOT));
    return new GatesSection(paired, guardrails, correction);
  }

  private static MetricGate metricGate(JsonNode n, MetricGate.Role role, double alpha, double power) {
    JsonNode margin = n.get("margin");
    boolean relative = margin.has("relative");
    return new MetricGate(n.get("metric").asText(), role,
        relative ? margin.get("relative").asDouble() : margin.get("absolute").asDouble(), relative,
        n.path("alpha").asDouble(alpha), number(n, "mde"), n.path("power").asDouble(power));
  }

  private static Double number(JsonNode n, String field) {
    return n.has(field) ? n.get(field).asDouble() : null;
  }
}
