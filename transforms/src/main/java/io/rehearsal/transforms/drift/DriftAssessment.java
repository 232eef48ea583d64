package io.rehearsal.transforms.drift;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the aggregates of {@link DriftProfiles} (collected: one small row per segment × window) into
 * {@link FeatureDrift} results. Pure: the Spark passes are done by then.
 */
public final class DriftAssessment {

  /**
   * Names the way {@link #edgesFromReference} bins; stored edges are reused only under the same name, so a
   * change to the binning never mixes old and new edges.
   */
  public static final String BINNING = "below-min+deciles+max/v1";

  private DriftAssessment() {}

  /** What the sketch and bin passes give for one numeric feature in one segment × window. */
  public record NumericWindow(long rows, long missing, Double sd, Double mean, double[] quantiles, double[] bins) {

    double missingRate() {
      return rows == 0 ? 0 : (double) missing / rows;
    }

    Double quantile(int percent) {
      return quantiles == null || quantiles.length != DriftProfiles.QUANTILES ? null : quantiles[percent];
    }
  }

  /**
   * The bin edges a numeric feature keeps for later runs: just below the reference's minimum, its deciles and
   * its maximum, collapsed. The two outer bins hold nothing in the reference, so values below or above
   * everything the reference saw (a price cut on a feature that was always 0) show up in PSI. Empty when
   * the reference has no values (then every value falls in one bin).
   */
  public static double[] edgesFromReference(NumericWindow reference) {
    double[] q = reference.quantiles();
    if (q == null || q.length != DriftProfiles.QUANTILES) {
      return new double[0];
    }
    double[] points = new double[11];
    points[0] = Math.nextDown(q[0]);
    for (int d = 1; d <= 9; d++) {
      points[d] = q[d * 10];
    }
    points[10] = q[100];
    return DriftStatistics.binEdges(points);
  }

  public static FeatureDrift numeric(String segment, String feature, NumericWindow reference, NumericWindow current,
      double[] edges, DriftThresholds thresholds) {
    String empty = emptyWindow(reference.rows(), current.rows());
    if (empty != null) {
      return notComparable(segment, feature, FeatureDrift.Kind.NUMERIC, reference.rows(), current.rows(), empty,
          thresholds);
    }
    int bins = edges.length + 1;
    double[] r = Arrays.copyOf(reference.bins(), bins);
    double[] c = Arrays.copyOf(current.bins(), bins);
    double psi = DriftStatistics.psi(r, c);
    DriftStatistics.ChiSquare chi = DriftStatistics.chiSquare(r, c);
    double[] rq = reference.quantiles() == null ? new double[0] : reference.quantiles();
    double[] cq = current.quantiles() == null ? new double[0] : current.quantiles();
    double ks = DriftStatistics.kolmogorovSmirnov(rq, cq);
    // Wasserstein over the 1st … 99th percentiles: the 0th and 100th are single rows (a window's one outlier).
    double w = DriftStatistics.normalizedWasserstein1(trimmed(rq), trimmed(cq), reference.sd() == null ? 0 : reference.sd());
    double missingChange = current.missingRate() - reference.missingRate();
    DriftThresholds.Level level = thresholds.level(psi, w, missingChange);
    if (level == DriftThresholds.Level.NOT_COMPARABLE) {
      return notComparable(segment, feature, FeatureDrift.Kind.NUMERIC, reference.rows(), current.rows(),
          "NOT_COMPARABLE: a statistic is undefined (PSI " + psi + ", W1/sd " + w + ")", thresholds);
    }
    List<Double> edgeList = new ArrayList<>();
    for (double e : edges) {
      edgeList.add(e);
    }
    return new FeatureDrift(segment, feature, FeatureDrift.Kind.NUMERIC, reference.rows(), current.rows(),
        reference.missingRate(), current.missingRate(), psi, DriftStatistics.jensenShannon(r, c),
        DriftStatistics.lInfinity(r, c), chi.statistic(), chi.pValue(), ks, w, reference.mean(), current.mean(),
        reference.quantile(50), current.quantile(50), reference.quantile(90), current.quantile(90), edgeList, List.of(),
        List.of(), level, thresholds.severity(psi, w, missingChange), reason(level, psi, w, missingChange, thresholds),
        thresholds.gatesPsi());
  }

  public static FeatureDrift categorical(String segment, String feature, long referenceRows, Map<String, Long> reference,
      long currentRows, Map<String, Long> current, DriftThresholds thresholds) {
    String empty = emptyWindow(referenceRows, currentRows);
    if (empty != null) {
      return notComparable(segment, feature, FeatureDrift.Kind.CATEGORICAL, referenceRows, currentRows, empty,
          thresholds);
    }
    DriftStatistics.Aligned a = DriftStatistics.align(reference, current);
    double referenceMissing = missingRate(referenceRows, a.reference());
    double currentMissing = missingRate(currentRows, a.current());
    List<String> appeared = new ArrayList<>();
    List<String> vanished = new ArrayList<>();
    for (int i = 0; i < a.categories().length; i++) {
      if (a.reference()[i] == 0 && a.current()[i] > 0) {
        appeared.add(a.categories()[i]);
      }
      if (a.reference()[i] > 0 && a.current()[i] == 0) {
        vanished.add(a.categories()[i]);
      }
    }
    boolean any = a.categories().length > 0;
    double psi = any ? DriftStatistics.psi(a.reference(), a.current()) : 0;
    DriftStatistics.ChiSquare chi = any ? DriftStatistics.chiSquare(a.reference(), a.current())
        : new DriftStatistics.ChiSquare(0, 0, 1);
    double missingChange = currentMissing - referenceMissing;
    DriftThresholds.Level level = thresholds.level(psi, null, missingChange);
    String reason = reason(level, psi, null, missingChange, thresholds);
    if (!appeared.isEmpty() || !vanished.isEmpty()) {
      reason += (appeared.isEmpty() ? "" : "; appeared " + appeared) + (vanished.isEmpty() ? "" : "; vanished " + vanished);
    }
    return new FeatureDrift(segment, feature, FeatureDrift.Kind.CATEGORICAL, referenceRows, currentRows, referenceMissing,
        currentMissing, psi, any ? DriftStatistics.jensenShannon(a.reference(), a.current()) : 0,
        any ? DriftStatistics.lInfinity(a.reference(), a.current()) : 0, chi.statistic(), chi.pValue(), null, null, null,
        null, null, null, null, null, List.of(), appeared, vanished, level, thresholds.severity(psi, null, missingChange),
        reason, thresholds.gatesPsi());
  }

  /** Why two windows cannot be compared (one has no rows), or null when they can. */
  private static String emptyWindow(long referenceRows, long currentRows) {
    if (referenceRows == 0 && currentRows == 0) {
      return "NOT_COMPARABLE: both windows are empty";
    }
    if (referenceRows == 0) {
      return "NOT_COMPARABLE: the reference window has no rows (" + currentRows + " current rows)";
    }
    if (currentRows == 0) {
      return "NOT_COMPARABLE: the current window has no rows (" + referenceRows + " reference rows)";
    }
    return null;
  }

  /**
   * A drift that cannot be measured: every statistic 0 (never read as drift: the level is NOT_COMPARABLE
   * and severity 0) and the reason naming the empty side.
   */
  private static FeatureDrift notComparable(String segment, String feature, FeatureDrift.Kind kind, long referenceRows,
      long currentRows, String reason, DriftThresholds thresholds) {
    return new FeatureDrift(segment, feature, kind, referenceRows, currentRows, 0, 0, 0, 0, 0, 0, 1, null, null, null,
        null, null, null, null, null, List.of(), List.of(), List.of(), DriftThresholds.Level.NOT_COMPARABLE, 0, reason,
        thresholds.gatesPsi());
  }

  private static double[] trimmed(double[] quantiles) {
    return quantiles.length == DriftProfiles.QUANTILES ? Arrays.copyOfRange(quantiles, 1, quantiles.length - 1) : quantiles;
  }

  private static double missingRate(long rows, double[] counts) {
    double present = Arrays.stream(counts).sum();
    return rows == 0 ? 0 : Math.max(0, rows - present) / rows;
  }

  private static String reason(DriftThresholds.Level level, double psi, Double wasserstein, double missingChange,
      DriftThresholds t) {
    String psiPart = t.gatesPsi() ? String.format(Locale.ROOT, "PSI %.4f (warn %.2f, alert %.2f)", psi, t.psiWarn(),
        t.psiAlert()) : String.format(Locale.ROOT, "PSI %.4f (reported, not gated)", psi);
    String wPart = wasserstein == null ? "" : String.format(Locale.ROOT, ", W1/sd %.4f (warn %.2f, alert %.2f)",
        wasserstein, t.wassersteinWarn(), t.wassersteinAlert());
    String missingPart = String.format(Locale.ROOT, "missing rate %+.4f (warn ±%.2f, alert ±%.2f)", missingChange,
        t.missingRateWarn(), t.missingRateAlert());
    return level + ": " + psiPart + wPart + ", " + missingPart;
  }
}
