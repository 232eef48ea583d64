package io.rehearsal.pipelines.manifest;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.AlsRanker;
import io.rehearsal.transforms.ranking.ExternalRecommendations;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.schema.CanonicalTables;
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
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StructType;

/**
 * The checks that need the data: inputs exist (at their pinned versions), carry the columns
 * Rehearsal reads, every filter and stratification column resolves against the user profile,
 * privacy columns exist, a saved model or an external recommendations table is where the models say, and the
 * manifest's windows and days lie within the days the events cover ({@link DataRangeCheck}). Reads schemas, and the
 * events' first and last timestamps in one Spark aggregation.
 */
public final class ManifestValidator {

  /** Columns each input must have; the rest of the canonical schema is optional. */
  static final Map<String, List<String>> REQUIRED_COLUMNS = Map.of(
      "events", List.of("event_id", "user_id", "item_id", "event_type", "event_ts", "quantity", "unit_price"),
      "users", List.of("user_id", "signup_ts"),
      "items", List.of("item_id"));

  /**
   * One message per required column of the table whose type the steps cannot read: its canonical type's family
   * (CanonicalTables: text, timestamp, a whole number, an exact decimal). CSV and JSON inputs carry no types (every
   * column is read as text) and are not checked: `bin/rehearsal import` gives them their types.
   */
  static List<String> mistypedColumns(String table, String format, StructType schema) {
    List<String> out = new ArrayList<>();
    if (format.equalsIgnoreCase("csv") || format.equalsIgnoreCase("json")) {
      return out;
    }
    StructType canonical = CanonicalTables.schemaOf(table);
    for (String column : REQUIRED_COLUMNS.get(table)) {
      DataType expected = canonical.apply(column).dataType();
      DataType actual = schema.apply(column).dataType();
      if (!sameFamily(expected, actual)) {
        out.add("column '" + column + "' has type " + actual.simpleString() + ", expected " + family(expected));
      }
    }
    return out;
  }

  private static boolean sameFamily(DataType expected, DataType actual) {
    if (expected instanceof DecimalType) {
      return actual instanceof DecimalType;
    }
    if (isWhole(expected)) {
      return isWhole(actual);
    }
    return expected.sameType(actual);
  }

  private static boolean isWhole(DataType t) {
    return t instanceof IntegerType || t instanceof LongType || t instanceof ShortType || t instanceof ByteType;
  }

  private static String family(DataType expected) {
    if (expected instanceof DecimalType) {
      return "decimal (exact money, e.g. " + expected.simpleString() + ")";
    }
    return isWhole(expected) ? "a whole number (int or bigint)" : expected.simpleString();
  }

  /**
   * The outcome: problems (empty when valid), warnings (the manifest works, on fewer days than it declares) and the
   * inputs pinned at the versions that were checked.
   */
  public record Report(List<ManifestProblem> problems, List<ManifestProblem> warnings,
      Map<String, TableSource> pinnedInputs) {
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
        List<String> mistyped = mistypedColumns(e.getKey(), source.format(), df.schema());
        if (!mistyped.isEmpty()) {
          mistyped.forEach(m -> problems.add(new ManifestProblem(at, "table at " + source.path() + ": " + m
              + "; give the column that type in the source, or map it with bin/rehearsal import (docs/import-mapping.md)")));
          continue;
        }
        pinned.put(e.getKey(), source);
        tables.put(e.getKey(), df);
      } catch (RehearsalException ex) {
        if (ex.kind() == RehearsalException.Kind.RUNTIME) {
          // Unreachable storage is not a problem of the manifest: exit 1, which a scheduler retries.
          throw ex;
        }
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
    store.cannotWriteUnder(manifest.warehouse()).ifPresent(why -> problems.add(new ManifestProblem("warehouse",
        "nothing can be written under " + manifest.warehouse() + " (" + why + "); choose a writable folder (--warehouse "
            + "or the manifest's warehouse) or give this user write permission there")));
    for (ModelSpec model : Arrays.asList(manifest.baseline(), manifest.candidate())) {
      if (model != null) {
        checkModel(model, problems);
      }
    }
    List<ManifestProblem> warnings = new ArrayList<>();
    if (problems.isEmpty() && tables.containsKey("events")) {
      DataRangeCheck.Range range = DataRangeCheck.of(tables.get("events"));
      if (range == null) {
        problems.add(new ManifestProblem("inputs.events", "the table at " + pinned.get("events").path()
            + " holds no event; point the manifest at a lake with events"));
      } else {
        DataRangeCheck.Findings found = DataRangeCheck.check(manifest, range, pinned.get("events").path());
        problems.addAll(found.problems());
        warnings.addAll(found.warnings());
      }
    }
    return new Report(problems, warnings, pinned);
  }

  /**
   * Validates and throws one error listing every problem; returns the pinned inputs otherwise, after printing each
   * warning as a line starting with "warning: " to {@code warnings} (null: not printed).
   */
  public Map<String, TableSource> validateOrThrow(Manifest manifest, java.util.function.Consumer<String> warnings) {
    Report report = validate(manifest);
    if (!report.valid()) {
      throw ManifestInvalidException.of(manifest.file(), report.problems());
    }
    if (warnings != null) {
      report.warnings().forEach(w -> warnings.accept("warning: " + w.path() + ": " + w.message()));
    }
    return report.pinnedInputs();
  }

  /** {@link #validateOrThrow(Manifest, java.util.function.Consumer)} without printing the warnings. */
  public Map<String, TableSource> validateOrThrow(Manifest manifest) {
    return validateOrThrow(manifest, null);
  }

  /** A saved model or an external table is where the manifest says, in the shape scoring reads (before any write). */
  private void checkModel(ModelSpec model, List<ManifestProblem> problems) {
    String at = "models." + model.role() + ".path";
    if (model.kind() == ModelSpec.Kind.SPARK_ML) {
      List<String> missing = AlsRanker.SAVED_PARTS.stream().filter(part -> !store.pathExists(model.path() + "/" + part))
          .map(part -> part + "/").toList();
      if (!missing.isEmpty()) {
        problems.add(new ManifestProblem(at, "no saved model at " + model.path() + ": it lacks " + String.join(", ", missing)
            + "; " + AlsRanker.savedLayoutFix(model.role())));
      }
    } else if (model.kind() == ModelSpec.Kind.TABLE) {
      try {
        List<String> columns = Arrays.asList(store.read(store.pin(TableSource.ofRecommendations(model))).columns());
        ExternalRecommendations.missingColumns(columns).ifPresent(cause -> problems.add(new ManifestProblem(at,
            "the recommendations table at " + model.path() + ": " + cause + "; " + ExternalRecommendations.FIX)));
      } catch (RehearsalException ex) {
        if (ex.kind() == RehearsalException.Kind.RUNTIME) {
          throw ex;
        }
        problems.add(new ManifestProblem(model.tableVersion() != null ? "models." + model.role() + ".table_version" : at,
            ex.causeText() + (ex.fix() == null ? "" : "; " + ex.fix())));
      }
    }
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
