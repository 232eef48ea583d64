package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.drift.DriftResult;
import io.rehearsal.pipelines.evaluation.EvaluateResult;
import io.rehearsal.pipelines.features.BackfillResult;
import io.rehearsal.pipelines.features.EntityBackfill;
import io.rehearsal.pipelines.features.ParityOutcome;
import io.rehearsal.pipelines.features.ParityResult;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.pipelines.snapshot.SegmentSnapshot;
import io.rehearsal.pipelines.snapshot.SnapshotResult;
import io.rehearsal.transforms.drift.FeatureDrift;
import io.rehearsal.transforms.quality.ParityCheck;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import io.rehearsal.transforms.stats.Guardrail;
import io.rehearsal.transforms.stats.PairedComparison;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Locale;

/** What each step found, as the JSON the run record and the report are made of (no DataFrames, no timings). */
final class RunFindings {

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  static final int TOP_DRIFTED = 10;

  private RunFindings() {}

  static ObjectNode snapshot(SnapshotResult r) {
    ObjectNode n = F.objectNode();
    ObjectNode versions = n.putObject("input_versions");
    r.inputVersions().forEach(versions::put);
    ObjectNode quarantine = n.putObject("quarantine");
    quarantine.put("events", r.quarantinedEvents());
    r.quarantined().forEach(quarantine.putObject("by_reason")::put);
    quarantine.put("table", r.quarantineTable());
    ArrayNode segments = n.putArray("snapshots");
    for (SegmentSnapshot s : r.segments()) {
      ObjectNode o = segments.addObject();
      o.put("segment", s.segment());
      o.put("snapshot_id", s.snapshotId());
      o.put("eligible_users", s.eligibleUsers());
      o.put("sampled_users", s.sampledUsers());
      o.put("events", s.events());
      o.put("items", s.items());
      ObjectNode hashes = o.putObject("content_hashes");
      s.contentHashes().forEach(hashes::put);
    }
    return n;
  }

  static ObjectNode backfill(BackfillResult r) {
    ObjectNode n = F.objectNode();
    n.put("feature_set_id", r.featureSetId());
    n.put("as_of_start", r.asOfStart().toString());
    n.put("as_of_end", r.asOfEnd().toString());
    ArrayNode tables = n.putArray("feature_tables");
    for (EntityBackfill t : r.tables()) {
      ObjectNode o = tables.addObject();
      o.put("segment", t.segment());
      o.put("entity", t.entity().name().toLowerCase(Locale.ROOT));
      o.put("rows", t.rows());
      o.put("path", t.path());
    }
    ArrayNode warnings = n.putArray("warnings");
    r.warnings().forEach(warnings::add);
    return n;
  }

  static ObjectNode parity(ParityResult r) {
    ObjectNode n = F.objectNode();
    n.put("passed", r.passed());
    n.put("baseline", r.baseline());
    ArrayNode rows = n.putArray("parity");
    for (ParityOutcome o : r.outcomes()) {
      ObjectNode p = rows.addObject();
      p.put("segment", o.segment());
      p.put("entity", o.entity().name().toLowerCase(Locale.ROOT));
      p.put("passed", o.passed());
      p.put("checks", o.checks().size());
      p.put("failures", o.failures().size() + o.schemaChanges().size());
      ArrayNode failed = p.putArray("failed");
      o.schemaChanges().forEach(c -> failed.addObject().put("feature", "(schema)").put("message", c.describe()));
      for (ParityCheck c : o.failures()) {
        ObjectNode fo = failed.addObject();
        fo.put("feature", c.column());
        fo.put("statistic", c.statistic().name().toLowerCase(Locale.ROOT));
        putNumber(fo, "testbed", c.testbed());
        putNumber(fo, "baseline", c.baseline());
        putNumber(fo, "allowed", c.allowed());
        fo.put("message", c.message());
      }
    }
    return n;
  }

  static ObjectNode evaluate(EvaluateResult r) {
    ObjectNode n = F.objectNode();
    n.put("verdict", r.verdict().overall().name());
    n.put("baseline", r.baseline());
    n.put("candidate", r.candidate());
    ArrayNode segments = n.putArray("segments");
    r.verdict().bySegment().forEach((s, v) -> segments.addObject().put("segment", s).put("verdict", v.name()));
    ArrayNode gates = n.putArray("gates");
    for (GateEvaluation.Check c : r.verdict().checks()) {
      ObjectNode g = gates.addObject();
      g.put("segment", c.segment());
      g.put("metric", c.gate().metric());
      g.put("role", c.gate().role().name().toLowerCase(Locale.ROOT));
      g.put("status", c.status().name());
      comparison(g, c.comparison());
      putNumber(g, "margin", c.absoluteMargin());
      putNumber(g, "lower_bound", c.lowerBound());
      putNumber(g, "non_inferiority_p_value", c.nonInferiorityP());
      putNumber(g, "p_value", c.adjustedHarmP());
      g.put("required_users", c.requiredUsers());
      g.put("message", c.message());
    }
    for (Guardrail.Check c : r.verdict().guardrails()) {
      ObjectNode g = gates.addObject();
      g.put("segment", c.segment());
      g.put("metric", c.guardrail().metric());
      g.put("role", "guardrail");
      g.put("status", c.status().name());
      putNumber(g, "baseline", c.baseline());
      putNumber(g, "candidate", c.candidate());
      putNumber(g, "delta", c.candidate() - c.baseline());
      g.put("message", c.message());
    }
    ArrayNode metrics = n.putArray("metrics");
    for (MetricStatistic m : r.statistics()) {
      if (!MetricStatistic.ALL.equals(m.slice())) {
        continue;
      }
      ObjectNode o = metrics.addObject();
      o.put("segment", m.segment());
      o.put("metric", m.metric());
      comparison(o, m.comparison());
      putNumber(o, "relative_lift", m.comparison().relativeLift());
      putNumber(o, "p_value", m.comparison().pValue());
    }
    ArrayNode interleaving = n.putArray("interleaving");
    for (SegmentComparison c : r.comparisons()) {
      ObjectNode o = interleaving.addObject();
      o.put("segment", c.segment());
      o.put("depth", c.depth());
      o.put("wins", c.wins());
      o.put("losses", c.losses());
      o.put("ties", c.ties());
      putNumber(o, "preference", c.preference());
      putNumber(o, "p_value", c.signTestP());
      putNumber(o, "overlap", c.overlap());
      putNumber(o, "jaccard", c.jaccard());
      putNumber(o, "rbo", c.rbo());
    }
    return n;
  }

  private static void comparison(ObjectNode o, PairedComparison c) {
    o.put("users", c.n());
    putNumber(o, "baseline", c.baselineMean());
    putNumber(o, "candidate", c.candidateMean());
    putNumber(o, "delta", c.meanDifference());
    putNumber(o, "ci_low", c.tLow());
    putNumber(o, "ci_high", c.tHigh());
  }

  static ObjectNode simulate(SimulationResult r) {
    ObjectNode n = F.objectNode();
    n.put("passed", r.passed());
    ArrayNode rows = n.putArray("simulation");
    for (SimulationResult.Check c : r.checks()) {
      ObjectNode o = rows.addObject();
      o.put("segment", c.segment());
      o.put("model", c.model());
      o.put("failures", c.failures());
      o.put("max_failures", c.maxFailures());
      o.put("passed", c.passed());
    }
    return n;
  }

  static ObjectNode drift(DriftResult r) {
    ObjectNode n = F.objectNode();
    n.put("alerted", r.alerted());
    ObjectNode d = n.putObject("drift");
    d.put("reference", r.reference());
    ArrayNode features = d.putArray("features");
    for (DriftResult.EntityDrift e : r.entities()) {
      e.current().forEach((segment, drifts) -> drifts.forEach(f -> feature(features.addObject(), e.entity(), f)));
    }
    ArrayNode top = d.putArray("top");
    r.mostShifted().stream().limit(TOP_DRIFTED).forEach(x -> feature(top.addObject(), x.entity(), x.drift())
        .put("score", round(x.score())));
    ArrayNode segments = d.putArray("segments");
    for (DriftResult.SegmentDiagnosis s : r.diagnoses()) {
      ObjectNode o = segments.addObject();
      o.put("segment", s.segment());
      o.put("alerts", s.alerts());
      o.put("warnings", s.warnings());
      putNumber(o, "weighted_psi", s.weightedPsi());
      o.put("retrain_from", s.retrainFrom() == null ? null : s.retrainFrom().toString());
      o.put("retrain_to", s.retrainTo() == null ? null : s.retrainTo().toString());
      o.put("retrain_reason", s.retrainReason());
    }
    ArrayNode cohorts = d.putArray("impacted_cohorts");
    r.impactedCohorts().stream().limit(TOP_DRIFTED).forEach(c -> cohorts.addObject()
        .put("segment", c.cohort().segment()).put("cohort", c.cohort().slice() + "=" + c.cohort().value())
        .put("features", String.join(", ", c.features().stream().map(FeatureDrift::feature).toList()))
        .put("score", round(c.score())));
    return n;
  }

  private static ObjectNode feature(ObjectNode o, String entity, FeatureDrift f) {
    o.put("segment", f.segment());
    o.put("entity", entity);
    o.put("feature", f.feature());
    putNumber(o, "psi", f.psi());
    putNumber(o, "js", f.jensenShannon());
    putNumber(o, "ks", f.ks());
    putNumber(o, "wasserstein", f.wasserstein());
    o.put("level", f.level().name());
    putNumber(o, "severity", f.severity());
    return o;
  }

  /** Numbers rounded to 10 significant digits: stable text across platforms, exact enough to read. */
  static void putNumber(ObjectNode o, String field, Double value) {
    if (value == null || value.isNaN() || value.isInfinite()) {
      o.putNull(field);
    } else {
      o.put(field, round(value));
    }
  }

  static double round(double v) {
    return new BigDecimal(v).round(new MathContext(10)).doubleValue();
  }
}
