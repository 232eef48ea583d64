package io.rehearsal.pipelines.manifest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.to_date;

import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Pre-flight: the manifest's days against the days the events cover (their first and last event, UTC; one Spark
 * aggregation). A window that holds no day of the data is a problem — the step would find nothing or fail late;
 * one that reaches past either end is a warning — its results rest on fewer days than declared.
 */
final class DataRangeCheck {

  /** The first and last day with an event. */
  record Range(LocalDate first, LocalDate last) {
    String describe(String path) {
      return "the events at " + path + " run from " + first + " to " + last;
    }
  }

  /** What the check found: problems (the manifest cannot work on this data) and warnings. */
  record Findings(List<ManifestProblem> problems, List<ManifestProblem> warnings) {}

  private DataRangeCheck() {}

  /** The first and last day of the events (null when there are none). */
  static Range of(Dataset<Row> events) {
    Row r = events.agg(min(to_date(col("event_ts"))), max(to_date(col("event_ts")))).first();
    return r.isNullAt(0) ? null : new Range(r.<Date>getAs(0).toLocalDate(), r.<Date>getAs(1).toLocalDate());
  }

  static Findings check(Manifest manifest, Range range, String eventsPath) {
    List<ManifestProblem> problems = new ArrayList<>();
    List<ManifestProblem> warnings = new ArrayList<>();
    String data = range.describe(eventsPath);
    // Features as of a day see the events before it: the as-of days that see data are the day after the first
    // event day to the day after the last.
    LocalDate asOfFirst = range.first().plusDays(1);
    LocalDate asOfLast = range.last().plusDays(1);
    String asOf = data + ", so as-of days " + asOfFirst + " … " + asOfLast + " see them";
    for (int i = 0; i < manifest.segments().size(); i++) {
      SegmentSpec s = manifest.segments().get(i);
      // A segment's window ends before its end day.
      days("segments[" + i + "].window", s.windowStart(), s.windowEnd().minusDays(1), " (end exclusive: "
          + s.windowEnd() + ")", range.first(), range.last(), data, problems, warnings);
    }
    if (manifest.hasFeatures()) {
      days("features.as_of", manifest.features().asOfStart(), manifest.features().asOfEnd(), "", asOfFirst, asOfLast,
          asOf, problems, warnings);
    }
    if (manifest.hasEvaluation()) {
      EvaluationSpec e = manifest.evaluation();
      if (!e.cutoff().isAfter(range.first())) {
        problems.add(new ManifestProblem("evaluation.cutoff", e.cutoff() + " is not after the first event day: the "
            + "models have no history to train on (" + data + "); set a cutoff after " + range.first()));
      } else if (e.cutoff().isAfter(range.last())) {
        problems.add(new ManifestProblem("evaluation.cutoff", e.cutoff() + " is after the last event day: no user "
            + "has held-out interactions (" + data + "); set a cutoff on or before " + range.last()));
      } else if (e.cutoff().plusDays(e.horizonDays() - 1L).isAfter(range.last())) {
        long held = range.last().toEpochDay() - e.cutoff().toEpochDay() + 1;
        warnings.add(new ManifestProblem("evaluation.horizon_days", e.horizonDays() + " days from the cutoff "
            + e.cutoff() + " reach past the last event day " + range.last() + ": the held-out period has " + held
            + " day(s) of data; shorten the horizon or move the cutoff earlier"));
      }
    }
    if (manifest.hasDrift()) {
      DriftSection d = manifest.drift();
      if (d.referenceStart() != null) {
        days("drift.reference", d.referenceStart(), d.referenceEnd(), "", asOfFirst, asOfLast, asOf, problems,
            warnings);
      }
      days("drift.current", d.currentStart(), d.currentEnd(), "", asOfFirst, asOfLast, asOf, problems, warnings);
    }
    return new Findings(problems, warnings);
  }

  /** Days first … last (inclusive) of a declaration against the days that see data, from … to (inclusive). */
  private static void days(String at, LocalDate first, LocalDate last, String note, LocalDate from, LocalDate to,
      String data, List<ManifestProblem> problems, List<ManifestProblem> warnings) {
    String declared = first + " … " + last + note;
    if (last.isBefore(from) || first.isAfter(to)) {
      problems.add(new ManifestProblem(at, declared + " holds no day of the data: " + data
          + "; move it into that range"));
    } else if (first.isBefore(from) || last.isAfter(to)) {
      warnings.add(new ManifestProblem(at, declared + " reaches past the data (" + data + "): its days outside "
          + "that range see no events"));
    }
  }
}
