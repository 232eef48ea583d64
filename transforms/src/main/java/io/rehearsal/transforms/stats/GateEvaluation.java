package io.rehearsal.transforms.stats;

import io.rehearsal.transforms.checks.CheckResult;
import io.rehearsal.transforms.checks.CheckStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * KPI-safe gate verdicts from paired per-user metric values (docs/metrics.md, "Gates"). For every segment ×
 * gate, with d the mean of candidate − baseline over the segment's users and m the absolute margin:
 *
 * <ul>
 *   <li><b>FAIL</b>, harm shown: the candidate is worse than the margin. The one-sided harm p-value of
 *       H0 "δ ≥ −m" is below alpha after adjustment across every segment × gate of the run (Holm by
 *       default), so a run with no true harm FAILs at most alpha of the time, whatever the number of gates.</li>
 *   <li><b>PASS</b>, non-inferiority shown: the non-inferiority p-value of H0 "δ ≤ −m" is below alpha, i.e.
 *       the one-sided (1 − alpha) lower confidence bound of δ is above −m. Not adjusted: a PASS verdict needs
 *       every gate to pass (an intersection-union test), which keeps the chance of a false PASS at alpha.</li>
 *   <li><b>INCONCLUSIVE</b>: neither; the message gives the users the segment would need.</li>
 * </ul>
 *
 * <p>Required users: ((z₁₋α + z₁₋β/k) · sd / e)², sd of the paired differences, e the gate's planning
 * distance (its MDE, by default the margin: a candidate exactly as good as the baseline) and k the gates
 * of the segment, since all k must pass for the segment to pass (β/k each keeps the segment's power at
 * 1 − β). Fewer than {@link #MIN_USERS} users give INCONCLUSIVE; paired differences without spread are
 * judged by an exact bound on the users that could differ unseen (see {@link #lowerBound}).
 * Results are data; the caller decides (the CLI exits 3 on FAIL).
 */
public final class GateEvaluation {

  /** Fewest users for any PASS or FAIL: below it the t-interval's normal approximation is not trusted. */
  public static final int MIN_USERS = 30;

  /** The statistical test behind a paired gate, as the gates table names it. */
  public static final String TEST = "paired t: PASS if non-inferiority shown (lower bound > −margin), "
      + "FAIL if harm beyond the margin shown (Holm-adjusted)";

  /** The paired per-user values of one metric in one segment. */
  public record Sample(String segment, String metric, double[] baseline, double[] candidate) {}

  /**
   * One segment × gate: {@code nonInferiorityP} decides PASS (unadjusted), {@code adjustedHarmP} FAIL;
   * {@code lowerBound} is the one-sided (1 − alpha) lower confidence bound of candidate − baseline.
   */
  public record Check(String segment, MetricGate gate, PairedComparison comparison, double absoluteMargin,
      double nonInferiorityP, double lowerBound, double adjustedHarmP, long requiredUsers, CheckStatus status,
      String message) {

    /** This check in the common shape: check "gate <metric> (<role>)", scope the segment. */
    public CheckResult result() {
      Map<String, Double> metrics = new LinkedHashMap<>();
      metrics.put("delta", comparison.meanDifference());
      metrics.put("lower_bound", lowerBound);
      metrics.put("margin", absoluteMargin);
      metrics.put("harm_p_value", adjustedHarmP);
      metrics.put("users", (double) comparison.n());
      metrics.put("required_users", (double) requiredUsers);
      return new CheckResult("gate " + gate.metric() + " (" + gate.role().name().toLowerCase(Locale.ROOT) + ")",
          segment, status, message, metrics);
    }
  }

  public record Verdict(CheckStatus overall, Map<String, CheckStatus> bySegment, List<Check> checks,
      List<Guardrail.Check> guardrails) {

    /** This verdict with the guardrail checks folded into the segments' and the overall status. */
    public Verdict withGuardrails(List<Guardrail.Check> more) {
      Map<String, CheckStatus> segments = new LinkedHashMap<>(bySegment);
      more.forEach(g -> segments.merge(g.segment(), g.status(), CheckStatus::worse));
      List<Guardrail.Check> all = new ArrayList<>(guardrails);
      all.addAll(more);
      CheckStatus overall = segments.values().stream().reduce(CheckStatus.PASS, CheckStatus::worse);
      return new Verdict(overall, segments, checks, all);
    }
  }

  private GateEvaluation() {}

  public static Verdict evaluate(List<MetricGate> gates, List<Sample> samples, MultipleTesting.Method correction,
      double confidence, long seed, int resamples) {
    Map<String, MetricGate> byMetric = new LinkedHashMap<>();
    for (MetricGate g : gates) {
      if (byMetric.put(g.metric(), g) != null) {
        throw new IllegalArgumentException("Cannot evaluate gates: metric " + g.metric() + " is gated twice; "
            + "declare each metric once");
      }
    }
    List<Sample> gated = samples.stream().filter(s -> byMetric.containsKey(s.metric())).toList();
    Map<String, Integer> gatesPerSegment = new LinkedHashMap<>();
    gated.forEach(s -> gatesPerSegment.merge(s.segment(), 1, Integer::sum));
    List<PairedComparison> comparisons = new ArrayList<>();
    double[] harm = new double[gated.size()];
    double[] nonInferiority = new double[gated.size()];
    for (int i = 0; i < gated.size(); i++) {
      Sample s = gated.get(i);
      MetricGate gate = byMetric.get(s.metric());
      double baselineMean = mean(s.baseline());
      PairedComparison c = PairedComparison.of(s.baseline(), s.candidate(), gate.absoluteMargin(baselineMean),
          confidence, seed, resamples);
      comparisons.add(c);
      double[] p = c.n() >= MIN_USERS ? pValues(c, s) : new double[] {Double.NaN, Double.NaN};
      nonInferiority[i] = p[0];
      harm[i] = p[1];
    }
    double[] adjusted = MultipleTesting.adjust(harm, correction);
    List<Check> checks = new ArrayList<>();
    Map<String, CheckStatus> bySegment = new LinkedHashMap<>();
    for (int i = 0; i < gated.size(); i++) {
      Sample s = gated.get(i);
      MetricGate gate = byMetric.get(s.metric());
      PairedComparison c = comparisons.get(i);
      int k = gatesPerSegment.get(s.segment());
      double distance = gate.effectToDetect(c.margin());
      boolean spread = c.standardError() > 0;
      double range = range(s);
      long required;
      if (spread) {
        required = distance > 0 ? Math.max(MIN_USERS, PairedComparison.requiredSampleSize(c.differenceSd(), distance,
            gate.alpha(), 1 - (1 - gate.power()) / k)) : Long.MAX_VALUE;
      } else {
        // Users without a difference needed before the unseen share q · (R + |d|) fits inside d + m:
        // (1 − room)^n < alpha, i.e. n > ln alpha / ln(1 − room).
        double room = (c.meanDifference() + c.margin()) / (range + Math.abs(c.meanDifference()));
        required = range == 0 || !(room > 0) ? Long.MAX_VALUE : room >= 1 ? MIN_USERS
            : Math.max(MIN_USERS, (long) Math.floor(Math.log(gate.alpha()) / Math.log(1 - room)) + 1);
      }

      double nonInferiorityP = nonInferiority[i];
      String evidence = String.format(Locale.ROOT, "non-inferiority p = %.3g%s", nonInferiorityP, spread ? ""
          : ", exact: no spread in the differences, so the p-value allows for users that could differ unseen");
      double lower = lowerBound(c, gate.alpha(), s);
      String delta = String.format(Locale.ROOT, "candidate − baseline = %+.6g (%.0f%% CI %+.6g … %+.6g, one-sided "
          + "%.0f%% lower bound %+.6g)", c.meanDifference(), c.confidence() * 100, c.tLow(), c.tHigh(),
          (1 - gate.alpha()) * 100, lower);
      boolean harmShown = adjusted[i] < gate.alpha();
      CheckStatus status;
      String message;
      if (c.n() < MIN_USERS) {
        status = CheckStatus.INCONCLUSIVE;
        message = String.format(Locale.ROOT, "INCONCLUSIVE %s in segment '%s': %d users, fewer than the %d a paired "
            + "t-interval needs; %s; widen the segment or the evaluation horizon", s.metric(), s.segment(), c.n(),
            MIN_USERS, delta);
      } else if (!spread && range == 0) {
        status = CheckStatus.INCONCLUSIVE;
        message = String.format(Locale.ROOT, "INCONCLUSIVE %s in segment '%s': both models have 0 for every one of "
            + "the %d users, so there is nothing to compare; check that the users have held-out interactions in the "
            + "evaluation horizon", s.metric(), s.segment(), c.n());
      } else if (harmShown) {
        status = CheckStatus.FAIL;
        message = String.format(Locale.ROOT, "FAIL %s in segment '%s': %s; harm beyond the margin −%.6g shown "
            + "(adjusted harm p = %.3g < alpha %s%s)", s.metric(), s.segment(), delta, c.margin(), adjusted[i],
            gate.alpha(), spread ? "" : "; exact: no spread in the differences");
      } else if (nonInferiorityP < gate.alpha()) {
        status = CheckStatus.PASS;
        message = String.format(Locale.ROOT, "PASS %s in segment '%s': %s, above −margin −%.6g: not worse than the "
            + "margin (%s, alpha %s)", s.metric(), s.segment(), delta, c.margin(), evidence, gate.alpha());
      } else {
        status = CheckStatus.INCONCLUSIVE;
        message = String.format(Locale.ROOT, "INCONCLUSIVE %s in segment '%s': %s, not above −margin −%.6g "
            + "(%s); %s", s.metric(), s.segment(), delta, c.margin(), evidence,
            spread ? needed(c, gate, required, distance, k) : String.format(Locale.ROOT, "every one of the %d users has "
                + "the same difference, and %s users without one are needed before a difference hidden in the rest "
                + "could not pass the margin", c.n(), required == Long.MAX_VALUE ? "no number of" : String.valueOf(required)));
      }
      checks.add(new Check(s.segment(), gate, c, c.margin(), nonInferiorityP, lower, adjusted[i], required,
          status, message));
      bySegment.merge(s.segment(), status, CheckStatus::worse);
    }
    CheckStatus overall = bySegment.values().stream().reduce(CheckStatus.PASS, CheckStatus::worse);
    return new Verdict(overall, bySegment, checks, List.of());
  }

  private static String needed(PairedComparison c, MetricGate gate, long required, double distance, int k) {
    if (required == Long.MAX_VALUE) {
      return "no sample size can be stated for a planning distance of " + distance + "; declare an mde";
    }
    String planned = String.format(Locale.ROOT, "%d users, %d needed for power %s (across the segment's %d gate%s) "
        + "when the true difference is %.6g above −margin (mde)", c.n(), required, gate.power(), k, k == 1 ? "" : "s",
        distance);
    double observed = c.meanDifference() + c.margin();
    if (!(observed > 0)) {
      return planned + "; the observed difference is not above −margin";
    }
    long atObserved = PairedComparison.requiredSampleSize(c.differenceSd(), observed, gate.alpha(), 1 - (1 - gate.power()) / k);
    return planned + String.format(Locale.ROOT, "; if the true difference is the observed one (%.6g above −margin), "
        + "%d users", observed, atObserved);
  }

  /**
   * The one-sided (1 − alpha) lower confidence bound of the mean difference: the t distribution with n − 1
   * degrees of freedom; when every user has the same difference d (no spread, e.g. identical lists), the exact
   * zero-event bound instead: fewer than q = 1 − alpha^(1/n) of the users could differ unseen, each by at most
   * R + |d| (R the largest absolute per-user value of either model), so d − q · (R + |d|). With 100 users all at
   * 0.5 in both models, q = 0.029513 and the bound is −0.014757.
   */
  static double lowerBound(PairedComparison c, double alpha, Sample s) {
    if (c.n() < 2) {
      return Double.NaN;
    }
    if (c.standardError() == 0) {
      return c.meanDifference() - (1 - Math.pow(alpha, 1.0 / c.n())) * (range(s) + Math.abs(c.meanDifference()));
    }
    double t = PairedComparison.tQuantile(c.n() - 1, 1 - alpha);
    return c.meanDifference() - t * c.standardError();
  }

  /**
   * The non-inferiority and harm p-values of a check: the paired t-test's, or, without spread (every user's
   * difference d), exact zero-event ones: for the mean to reach −m a share f = (d + m) / (R + |d|) of the users
   * would have to differ (by up to R + |d| each), and n users without one have probability (1 − f)^n. They
   * match {@link #lowerBound}: p < alpha exactly when the bound clears −m. NaN when both models are 0 for all.
   */
  static double[] pValues(PairedComparison c, Sample s) {
    if (c.standardError() > 0) {
      return new double[] {c.nonInferiorityPValue(), c.harmPValue()};
    }
    double range = range(s);
    if (c.n() < 2 || range == 0) {
      return new double[] {Double.NaN, Double.NaN};
    }
    double spanned = range + Math.abs(c.meanDifference());
    double room = (c.meanDifference() + c.margin()) / spanned;
    double nonInferiority = room <= 0 ? 1 : room >= 1 ? 0 : Math.pow(1 - room, c.n());
    double harm = -room <= 0 ? 1 : -room >= 1 ? 0 : Math.pow(1 + room, c.n());
    return new double[] {nonInferiority, harm};
  }

  /** R: the largest absolute per-user value of either model, how far one unseen user could move the mean. */
  private static double range(Sample s) {
    double range = 0;
    for (int i = 0; i < s.baseline().length; i++) {
      range = Math.max(range, Math.max(Math.abs(s.baseline()[i]), Math.abs(s.candidate()[i])));
    }
    return range;
  }

  private static double mean(double[] values) {
    double sum = 0;
    for (double v : values) {
      sum += v;
    }
    return values.length == 0 ? 0 : sum / values.length;
  }
}
