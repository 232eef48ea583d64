package io.rehearsal.pipelines.manifest;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.slicing.SegmentSpec;
import io.rehearsal.transforms.slicing.UserProfiles;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The checks that need the data: inputs exist (at their pinned versions), carry the columns
 * Rehearsal reads, every filter and stratification column resolves against the user profile, and
 * privacy columns exist. Reads schemas only; runs no Spark job.
 */
public final class ManifestValidator {

  /** Columns each input must have; the rest of the canonical schema is optional. */
  static final Map<String, List<String>> REQUIRED_COLUMNS = Map.of(
      "events", List.of("event_id", "user_id", "item_id", "event_type", "event_ts", "quantity", "unit_price"),
      "users", List.of("user_id", "signup_ts"),
      "items", List.of("item_id"));

  /** The outcome: problems (empty when valid) and the inputs pinned at the versions that were checked. */
  public record Report(List<ManifestProblem> problems, Map<String, TableSource> pinnedInputs) {
    public boolean valid() {
      return problems.isEmpty();
    }
  }

  private final SparkSession spark;
  private final TableStore store;

  public ManifestValidator(SparkSession spark, TableStore store) {
    this.spark = spark;
    this.store = store;
  }

  public Report validate(Manifest manifest) {
    List<ManifestProblem> problems = new ArrayList<>();
    Map<String, TableSource> pinned = new LinkedHashMap<>();
    Map<String, Dataset<Row>> tables = new LinkedHashMap<>();
    for (Map.Entry<String, TableSource> e : manifest.inputs().entrySet()) {
      String at = "inputs." + e.getKey();
      try {
        TableSource source = store.pin(e.getValue());
        Dataset<Row> df = store.read(source);
        List<String> missing = new ArrayList<>(REQUIRED_COLUMNS.get(e.getKey()));
        missing.removeAll(Arrays.asList(df.columns()));
        if (!missing.isEmpty()) {
          problems.add(new ManifestProblem(at, "table at " + source.path() + " lacks column(s) " + missing
              + "; it has " + Arrays.asList(df.columns())));
          continue;
        }
        pinned.put(e.getKey(), source);
        tables.put(e.getKey(), df);
      } catch (RehearsalException ex) {
        problems.add(new ManifestProblem(at + (e.getValue().version() != null ? ".version" : ".path"),
            ex.causeText() + (ex.fix() == null ? "" : "; " + ex.fix())));
      }
    }
    if (tables.containsKey("events") && tables.containsKey("users")) {
      FilterChecker filters = new FilterChecker(spark);
      for (int i = 0; i < manifest.segments().size(); i++) {
        SegmentSpec segment = manifest.segments().get(i);
        Dataset<Row> profile = UserProfiles.build(tables.get("events"), tables.get("users"),
            segment.windowStart(), segment.windowEnd());
        String at = "segments[" + i + "]";
        if (segment.filter() != null) {
          Optional<String> problem = filters.check(segment.filter(), profile);
          problem.ifPresent(p -> problems.add(new ManifestProblem(at + ".filter", p)));
        }
        String stratifyBy = segment.sampling().stratifyBy();
        if (stratifyBy != null && !Arrays.asList(profile.columns()).contains(stratifyBy)) {
          problems.add(new ManifestProblem(at + ".sampling.stratify_by", "unknown column '" + stratifyBy
              + "'; available columns: " + String.join(", ", profile.columns())));
        }
      }
    }
    if (tables.size() == manifest.inputs().size()) {
      checkPrivacyColumns(manifest, tables, problems);
    }
    return new Report(problems, pinned);
  }

  /** Validates and throws one error listing every problem; returns the pinned inputs otherwise. */
  public Map<String, TableSource> validateOrThrow(Manifest manifest) {
    Report report = validate(manifest);
    if (!report.valid()) {
      throw ManifestInvalidException.of(manifest.file(), report.problems());
    }
    return report.pinnedInputs();
  }

  private static void checkPrivacyColumns(Manifest manifest, Map<String, Dataset<Row>> tables, List<ManifestProblem> problems) {
    List<String> all = new ArrayList<>();
    tables.values().forEach(df -> all.addAll(Arrays.asList(df.columns())));
    checkColumnsExist("privacy.pseudonymize", manifest.privacy().pseudonymize(), all, problems);
    checkColumnsExist("privacy.drop", manifest.privacy().drop(), all, problems);
    for (String key : List.of("user_id", "item_id", "event_id", "event_ts", "event_type")) {
      int i = manifest.privacy().drop().indexOf(key);
      if (i >= 0) {
        problems.add(new ManifestProblem("privacy.drop[" + i + "]",
            "column '" + key + "' is needed by later steps and cannot be dropped; pseudonymize it instead"));
      }
    }
  }

  private static void checkColumnsExist(String at, List<String> columns, List<String> all, List<ManifestProblem> problems) {
    for (int i = 0; i < columns.size(); i++) {
      if (!all.contains(columns.get(i))) {
        problems.add(new ManifestProblem(at + "[" + i + "]", "no input table has a column '" + columns.get(i) + "'"));
      }
    }
  }
}
