package io.rehearsal.transforms.drift;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Every segment × window × feature in three Spark passes (sketches, bin counts, category counts), however
 * many segments, windows and features there are; only per-(segment, window) aggregates (per partition, for the bin
 * counts) reach the driver.
 * {@link #profile} runs the passes; {@link Profiles#compare} then compares any two windows of a segment
 * without touching Spark again (a drift time series is many comparisons of one profile).
 *
 * <p>Bin edges come from the {@code reference} window's deciles unless {@code storedEdges} holds edges for
 * the segment and feature (from an earlier run), which are then reused so PSI stays comparable across
 * runs. Every comparison of a segment bins with the same edges.
 */
public final class DriftSuite {

  /** The usual names of the two windows of a comparison. */
  public static final String REFERENCE = "reference";
  public static final String CURRENT = "current";

  private DriftSuite() {}

  /** Edge key of a segment's feature. */
  public static String key(String segment, String feature) {
    return segment + "\u0000" + feature;
  }

  /**
   * One run over two windows: the drift of every segment × feature from {@link #REFERENCE} to
   * {@link #CURRENT}, ordered by segment then feature.
   */
  public static Result run(Dataset<Row> rows, String segment, String window, List<String> numeric,
      List<String> categorical, Map<String, double[]> storedEdges, Function<String, DriftThresholds> thresholds) {
    Profiles p = profile(rows, segment, window, REFERENCE, numeric, categorical, storedEdges);
    List<FeatureDrift> drifts = new ArrayList<>();
    for (String s : p.segments()) {
      drifts.addAll(p.compare(s, REFERENCE, CURRENT, thresholds));
    }
    return new Result(drifts, p.edges());
  }

  /** The drift results and the bin edges each numeric feature used (keyed by {@link #key}). */
  public record Result(List<FeatureDrift> drifts, Map<String, double[]> edges) {}

  /**
   * @param rows one row per entity × day with a string segment column, a string window column and the
   *     feature columns; a row may appear in several windows (once per window)
   * @param reference the window whose deciles give the bin edges
   */
  public static Profiles profile(Dataset<Row> rows, String segment, String window, String reference,
      List<String> numeric, List<String> categorical, Map<String, double[]> storedEdges) {
    Map<String, Row> sketches = new HashMap<>();
    TreeSet<String> segments = new TreeSet<>();
    for (Row r : DriftProfiles.sketches(rows, segment, window, numeric).collectAsList()) {
      sketches.put(r.getAs(segment) + "|" + r.getAs(window), r);
      segments.add(r.getAs(segment));
    }
    Map<String, double[]> edges = new TreeMap<>();
    for (String s : segments) {
      for (String f : numeric) {
        double[] stored = storedEdges.get(key(s, f));
        edges.put(key(s, f), stored != null ? stored.clone()
            : DriftAssessment.edgesFromReference(numericWindow(sketches.get(s + "|" + reference), f, null)));
      }
    }
    Map<String, long[][]> bins = new HashMap<>();
    if (!numeric.isEmpty() && !segments.isEmpty()) {
      Map<String, double[][]> edgesBySegment = new HashMap<>();
      for (String s : segments) {
        edgesBySegment.put(s, numeric.stream().map(f -> edges.get(key(s, f))).toArray(double[][]::new));
      }
      bins.putAll(DriftProfiles.binCounts(rows, edgesBySegment, segment, window, numeric));
    }
    Map<String, Map<String, Long>> categories = new HashMap<>();
    if (!categorical.isEmpty()) {
      for (Row r : DriftProfiles.categoryCounts(rows, segment, window, categorical).collectAsList()) {
        categories.computeIfAbsent(r.getAs(segment) + "|" + r.getAs(window) + "|" + r.getAs("feature"),
            k -> new TreeMap<>()).put(r.getAs("category"), r.getAs("count"));
      }
    }
    return new Profiles(List.copyOf(segments), numeric, categorical, sketches, bins, categories, edges);
  }

  /** The collected aggregates of every segment × window, ready for comparisons. */
  public static final class Profiles {
    private final List<String> segments;
    private final List<String> numeric;
    private final List<String> categorical;
    private final Map<String, Row> sketches;
    /** Per {@code segment|window}: counts[feature][bin], features in the order of {@code numeric}. */
    private final Map<String, long[][]> bins;
    private final Map<String, Map<String, Long>> categories;
    private final Map<String, double[]> edges;

    Profiles(List<String> segments, List<String> numeric, List<String> categorical, Map<String, Row> sketches,
        Map<String, long[][]> bins, Map<String, Map<String, Long>> categories, Map<String, double[]> edges) {
      this.segments = segments;
      this.numeric = numeric;
      this.categorical = categorical;
      this.sketches = sketches;
      this.bins = bins;
      this.categories = categories;
      this.edges = edges;
    }

    /** Segments that have rows in any window, sorted. */
    public List<String> segments() {
      return segments;
    }

    public Map<String, double[]> edges() {
      return edges;
    }

    /** Rows of a segment's window (0 when it has none). */
    public long rows(String segment, String window) {
      return rowCount(sketches.get(segment + "|" + window));
    }

    /** The drift of every feature of a segment from one window to another, ordered by feature. */
    public List<FeatureDrift> compare(String segment, String from, String to,
        Function<String, DriftThresholds> thresholds) {
      Row ref = sketches.get(segment + "|" + from);
      Row cur = sketches.get(segment + "|" + to);
      List<FeatureDrift> drifts = new ArrayList<>();
      for (int i = 0; i < numeric.size(); i++) {
        String f = numeric.get(i);
        drifts.add(DriftAssessment.numeric(segment, f, numericWindow(ref, f, binsOf(segment + "|" + from, i)),
            numericWindow(cur, f, binsOf(segment + "|" + to, i)), edges.get(key(segment, f)), thresholds.apply(f)));
      }
      for (String f : categorical) {
        drifts.add(DriftAssessment.categorical(segment, f, rowCount(ref),
            categories.getOrDefault(segment + "|" + from + "|" + f, Map.of()), rowCount(cur),
            categories.getOrDefault(segment + "|" + to + "|" + f, Map.of()), thresholds.apply(f)));
      }
      drifts.sort(Comparator.comparing(FeatureDrift::feature));
      return drifts;
    }

    /** A window's bin counts of the i-th numeric feature; null when the window has no rows. */
    private long[] binsOf(String segmentWindow, int feature) {
      long[][] counts = bins.get(segmentWindow);
      return counts == null ? null : counts[feature];
    }
  }

  private static long rowCount(Row sketch) {
    return sketch == null ? 0 : sketch.<Long>getAs(DriftProfiles.ROWS);
  }

  private static DriftAssessment.NumericWindow numericWindow(Row sketch, String f, long[] binCounts) {
    if (sketch == null) {
      return new DriftAssessment.NumericWindow(0, 0, null, null, null, new double[DriftProfiles.MAX_BINS]);
    }
    List<Double> q = sketch.isNullAt(sketch.fieldIndex(DriftProfiles.quantilesOf(f))) ? null
        : sketch.getList(sketch.fieldIndex(DriftProfiles.quantilesOf(f)));
    double[] b = new double[DriftProfiles.MAX_BINS];
    if (binCounts != null) {
      for (int i = 0; i < b.length; i++) {
        b[i] = binCounts[i];
      }
    }
    return new DriftAssessment.NumericWindow(sketch.<Long>getAs(DriftProfiles.ROWS),
        sketch.<Long>getAs(DriftProfiles.missingOf(f)), sketch.getAs(DriftProfiles.sdOf(f)),
        sketch.getAs(DriftProfiles.meanOf(f)), q == null ? null : q.stream().mapToDouble(Double::doubleValue).toArray(), b);
  }
}
