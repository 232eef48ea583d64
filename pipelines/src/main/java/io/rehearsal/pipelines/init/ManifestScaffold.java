package io.rehearsal.pipelines.init;

import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.transforms.RehearsalException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A starter manifest derived from a lake's {@link LakeFacts}, every field commented. The dates follow from the data:
 *
 * <ul>
 *   <li>the held-out horizon is a tenth of the lake's days, at least 7 and at most 28; the cutoff is that many days
 *       before the day after the last event;
 *   <li>segments span the whole lake: everyone with two events or more (sampled down to about
 *       {@value #MAX_SAMPLED_USERS} users when there are more), and the top quarter of spenders;
 *   <li>features are computed for the day before the cutoff; drift compares the week before the cutoff with the same
 *       weekdays four weeks earlier (or the lake's first week, when it is shorter).
 * </ul>
 *
 * Pure: facts in, text out; {@link InitJob} reads the facts and checks the text with the manifest loader.
 */
public final class ManifestScaffold {

  /** Fewer days leave no room for a training period, a drift reference and a held-out horizon. */
  public static final int MIN_DAYS = 28;
  static final int MAX_SAMPLED_USERS = 20_000;

  /** The manifest's dates, as derived (exposed for the summary and the tests). */
  public record Dates(LocalDate windowStart, LocalDate windowEnd, LocalDate cutoff, int horizonDays, LocalDate asOf,
      LocalDate referenceStart, LocalDate referenceEnd, LocalDate currentStart, LocalDate currentEnd) {}

  /** The manifest's text and the dates it holds. */
  public record Result(String yaml, Dates dates, List<String> segments) {}

  private ManifestScaffold() {}

  /** The dates a lake with these facts gets; fails when the lake spans fewer than {@link #MIN_DAYS} days. */
  public static Dates dates(LakeFacts facts) {
    RehearsalException.check(facts.days() >= MIN_DAYS, "Cannot scaffold a manifest", "the lake's events span "
        + facts.days() + " days (" + facts.firstDay() + " to " + facts.lastDay() + "), fewer than the " + MIN_DAYS
        + " a testbed needs (training history, a drift reference and a held-out horizon)");
    LocalDate end = facts.lastDay().plusDays(1);
    int horizon = (int) Math.max(7, Math.min(28, Math.round(facts.days() / 10.0)));
    LocalDate cutoff = end.minusDays(horizon);
    LocalDate currentStart = cutoff.minusDays(7);
    LocalDate referenceStart = currentStart.minusDays(28);
    // Features on a day see the events before it: the first day with any history is the day after the first event.
    if (!referenceStart.isAfter(facts.firstDay())) {
      referenceStart = facts.firstDay().plusDays(1);
    }
    return new Dates(facts.firstDay(), end, cutoff, horizon, cutoff.minusDays(1), referenceStart,
        referenceStart.plusDays(6), currentStart, cutoff.minusDays(1));
  }

  /** The manifest named {@code name} over the lake at {@code lake}, writing to {@code warehouse}. */
  public static Result of(String name, String lake, String warehouse, LakeFacts facts) {
    Dates d = dates(facts);
    List<String> segments = new ArrayList<>();
    Yaml y = new Yaml();
    y.line("# Manifest scaffolded by `rehearsal init` from the lake " + lake + ": " + Progress.count(facts.events()) + " events of "
        + Progress.count(facts.users()) + " users,");
    y.line("# " + facts.firstDay() + " to " + facts.lastDay() + " (" + facts.days() + " days). Dates, segments and "
        + "thresholds below follow from that data; each says how.");
    y.line("# Run it:  bin/rehearsal run <this file> --salt-file <the salt file init wrote beside it>");
    y.line("# Reference: docs/manifest.md (every field), docs/metrics.md (gates), docs/features.md, docs/drift.md.");
    y.line("apiVersion: rehearsal/v1");
    y.line("name: " + Yaml.quote(name));
    y.line("description: " + Yaml.quote("Starter testbed scaffolded by rehearsal init from " + lake));
    y.line("# Paths relative to the folder bin/rehearsal runs in.");
    y.line("lake: " + Yaml.quote(lake));
    y.line("warehouse: " + Yaml.quote(warehouse) + "    # snapshots, features, results, the ledger and the report");
    y.line("inputs:");
    y.line("  events: { path: events, format: delta }");
    y.line("  users: { path: users, format: delta }");
    y.line("  items: { path: items, format: delta }");
    y.blank();
    y.line("segments:");
    y.line("  # The window is the lake's whole span (" + d.windowStart() + " up to, not including, " + d.windowEnd()
        + "): the snapshot keeps the history");
    y.line("  # before the cutoff for training and the horizon after it for scoring.");
    String rate = rate(facts.usersWithTwoEvents());
    y.line("  - name: active_customers");
    y.line("    description: " + Yaml.quote("Everyone with two events or more in the lake"
        + (rate.equals("1.0") ? ", all of them kept." : ", sampled uniformly.")));
    y.line("    window: { start: " + d.windowStart() + ", end: " + d.windowEnd() + " }");
    y.line("    min_events_per_user: 2");
    y.line("    # " + Progress.count(facts.usersWithTwoEvents()) + " users qualify; rate " + rate
        + (rate.equals("1.0") ? " keeps every one." : " keeps about " + Progress.count(MAX_SAMPLED_USERS) + " (a faster testbed; raise it "
        + "for more power)."));
    y.line("    sampling: { policy: uniform, seed: 1, rate: " + rate + " }");
    segments.add("active_customers");
    if (facts.revenueP75() != null && facts.revenueP75() > 0) {
      String threshold = nice(facts.revenueP75());
      y.line("  - name: top_spenders");
      y.line("    description: " + Yaml.quote("Customers whose revenue in the window is at least " + threshold
          + " (about the top quarter of buyers)."));
      y.line("    # " + threshold + ": the 75th percentile of revenue per buyer in the lake, to two significant digits.");
      y.line("    filter: " + Yaml.quote("revenue_in_window >= " + threshold));
      y.line("    window: { start: " + d.windowStart() + ", end: " + d.windowEnd() + " }");
      y.line("    sampling: { policy: uniform, seed: 2, rate: " + rate + " }");
      segments.add("top_spenders");
    }
    attributeExample(y, facts, d);
    y.blank();
    y.line("privacy:");
    y.line("  # Snapshots hold pseudonyms (salted SHA-256) instead of these values, and never the dropped columns.");
    y.line("  pseudonymize: [user_id, email, phone]");
    y.line("  drop: [full_name]");
    y.blank();
    y.line("features:");
    y.line("  # The feature set conf/features/default.yaml (7/30/90-day user and item features), for the day before");
    y.line("  # the cutoff: what a model trained at the cutoff would have seen.");
    y.line("  segments: [active_customers]");
    y.line("  as_of: { start: " + d.asOf() + ", end: " + d.asOf() + ", step: 1d }");
    y.line("  parity:");
    y.line("    # The same features recomputed from the full lake: the segment samples without bias, so user features");
    y.line("    # must agree within sampling noise. Item counts in a snapshot only see the segment's users: left out.");
    y.line("    baseline: { profile: lake }");
    y.line("    exclude: [item_views_*, item_purchases_*, item_revenue_*, item_buyers_*, item_conversion_rate_*]");
    y.line("    tolerance:");
    y.line("      mean: { relative: 0.10 }");
    y.line("      p50: { relative: 0.10, absolute: 1 }");
    y.line("      p90: { relative: 0.10, absolute: 1 }");
    y.line("      missing_rate: { absolute: 0.02 }");
    y.line("    overrides:");
    y.line("      # A snapshot knows an item's price only from its own users' events: its price history can be older");
    y.line("      # or missing.");
    y.line("      item_price_change_30d: { mean: { absolute: 0.03 }, missing_rate: { absolute: 0.15 } }");
    y.line("      item_price_30d_ago: { missing_rate: { absolute: 0.15 } }");
    y.line("      item_is_new: { mean: { absolute: 0.01 } }");
    y.line("      avg_order_value_7d: { p90: { relative: 0.20 } }");
    y.line("      returns_7d: { mean: { absolute: 0.005 } }");
    y.blank();
    y.line("models:");
    y.line("  # Replace these with yours: kind spark_ml (a model saved by Spark ML) or table (a table of ranked lists per");
    y.line("  # user); docs/metrics.md. The built-in pair below gives a verdict on any lake.");
    y.line("  baseline:   # the most popular items of the last 30 days, the same list for everyone");
    y.line("    kind: popularity");
    y.line("    version: popularity-30d");
    y.line("    scope: global");
    y.line("    lookback_days: 30");
    y.line("  candidate:  # items that co-occur with each user's last five items in everyone's sessions and orders");
    y.line("    kind: co_visitation");
    y.line("    version: covis-5");
    y.line("    scope: global");
    y.line("    lookback_days: 30");
    y.line("    history: 5");
    y.blank();
    y.line("evaluation:");
    y.line("  segments: [" + String.join(", ", segments) + "]");
    y.line("  # Models see events before the cutoff; they are scored on the " + d.horizonDays() + " days from it");
    y.line("  # (a tenth of the lake's span, at least 7 and at most 28 days).");
    y.line("  cutoff: " + d.cutoff());
    y.line("  horizon_days: " + d.horizonDays());
    y.line("  k: [10, 20]");
    y.line("  relevance: { purchase: 3, add_to_cart: 2, click: 1 }");
    y.line("  exclude_purchased: true   # items a user bought before the cutoff are not recommended to them again");
    y.line("  bootstrap: { resamples: 200, seed: 1 }");
    y.line("  interleaving: { k: 10, seed: 7 }");
    y.blank();
    y.line("gates:");
    y.line("  alpha: 0.05");
    y.line("  correction: holm");
    y.line("  # Non-inferiority: the candidate may lose at most 2% of the baseline's NDCG@10 in any segment. A gate");
    y.line("  # PASSes when the one-sided 95% lower bound of candidate - baseline is above -margin, FAILs when harm beyond");
    y.line("  # the margin is shown, else it is INCONCLUSIVE (docs/metrics.md, \"Gates\").");
    y.line("  primary: { metric: ndcg@10, margin: { relative: 0.02 }, mde: 0.01 }");
    y.line("  secondary:");
    y.line("    - { metric: recall@20, margin: { relative: 0.05 }, mde: 0.02 }");
    y.line("  guardrails:");
    y.line("    - { metric: coverage@10, min_ratio_to_baseline: 1.0 }");
    y.line("    - { metric: scoring_failures, max: 0 }");
    y.blank();
    y.line("drift:");
    y.line("  # The week before the cutoff against " + (d.referenceStart().equals(d.currentStart().minusDays(28))
        ? "the same weekdays four weeks earlier" : "the lake's first week with history (the span is too short for four "
        + "weeks earlier)") + ".");
    y.line("  # Alerts are findings about the data; they do not change the verdict.");
    y.line("  segments: [active_customers]");
    y.line("  reference: { start: " + d.referenceStart() + ", end: " + d.referenceEnd() + " }");
    y.line("  current: { start: " + d.currentStart() + ", end: " + d.currentEnd() + " }");
    y.blank();
    y.line("# simulation: catalog changes (new items, price shifts, retired bestsellers) and cold-start users; see");
    y.line("# manifests/demo.yaml and docs/simulation.md for the section, e.g.:");
    y.line("# simulation:");
    y.line("#   segments: [active_customers]");
    y.line("#   scenarios:");
    y.line("#     - { name: retire_bestsellers, description: The 20 most popular items leave., retire: { top_popular: 20 } }");
    y.line("#   cold_start: { users: 50, max_failures: 0 }");
    return new Result(y.text(), d, List.copyOf(segments));
  }

  /** A commented segment on the users table's most telling attribute, when it has one. */
  private static void attributeExample(Yaml y, LakeFacts facts, Dates d) {
    LakeFacts.Attribute best = null;
    for (LakeFacts.Attribute a : facts.attributes().values()) {
      if (a.distinct() >= 2 && a.distinct() <= 50 && a.top() != null && (best == null || a.topShare() < best.topShare())) {
        best = a;
      }
    }
    if (best == null) {
      y.line("  # The users table has no attribute with 2 to 50 values to segment by (loyalty_tier, country, device).");
      return;
    }
    String slug = (best.column() + "_" + best.top()).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_")
        .replaceAll("^_|_$", "");
    y.line("  # A segment on an attribute, e.g. " + best.column() + " ('" + Yaml.comment(best.top()) + "' is "
        + Math.round(best.topShare() * 100) + "% of users, " + best.distinct() + " values in all):");
    y.line("  # - name: " + slug);
    y.line("  #   filter: " + Yaml.quote(best.column() + " = '" + best.top().replace("\\", "\\\\").replace("'", "\\'") + "'"));
    y.line("  #   window: { start: " + d.windowStart() + ", end: " + d.windowEnd() + " }");
    y.line("  #   sampling: { policy: uniform, seed: 3, rate: 1.0 }");
  }

  /** 1.0, or the rate that keeps about {@link #MAX_SAMPLED_USERS} users, to two significant digits. */
  static String rate(long users) {
    if (users <= MAX_SAMPLED_USERS) {
      return "1.0";
    }
    BigDecimal r = BigDecimal.valueOf(MAX_SAMPLED_USERS).divide(BigDecimal.valueOf(users), new MathContext(2, RoundingMode.DOWN));
    return r.max(new BigDecimal("0.001")).toPlainString();
  }

  /** A threshold to two significant digits, rounded down (so the share above it is at least the quantile's). */
  static String nice(double value) {
    return BigDecimal.valueOf(value).round(new MathContext(2, RoundingMode.DOWN)).stripTrailingZeros().toPlainString();
  }
}
