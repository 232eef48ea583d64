package io.rehearsal.pipelines.lake;

import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.pipelines.io.WrittenTable;
import io.rehearsal.pipelines.jobs.Job;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.mapping.ImportMapping;
import io.rehearsal.pipelines.mapping.MappingLoader;
import io.rehearsal.pipelines.mapping.MappingSource;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.mapping.AnnotatedRows;
import io.rehearsal.transforms.mapping.MappedTables;
import io.rehearsal.transforms.mapping.SourceMapping;
import io.rehearsal.transforms.schema.CanonicalTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code rehearsal import}: maps an external source onto the canonical tables through a declarative
 * mapping (docs/import-mapping.md) and writes {@code <out>/events}, {@code <out>/users} and
 * {@code <out>/items} as Delta, one commit per table with the run id as userMetadata.
 *
 * <p>Everything that can be wrong with the input is found before the first write: the mapping file,
 * the source's existence and columns, every expression, and (after counting) a source with no rows or
 * no kept rows. A failure therefore leaves {@code out} untouched.
 */
public final class ImportJob extends Job<ImportJob> {

  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");

  private Path mappingFile;
  private String out;
  private String sourceOverride;

  /** The mapping YAML file (required). */
  public ImportJob mapping(Path file) {
    this.mappingFile = file;
    return this;
  }

  /** The output directory: tables go to {@code <out>/events|users|items} (required). */
  public ImportJob out(String dir) {
    this.out = dir;
    return this;
  }

  /** Reads this path instead of the mapping's source.path, with the mapping's format and options. */
  public ImportJob source(String path) {
    this.sourceOverride = path;
    return this;
  }

  public ImportResult execute() {
    check();
    String outDir = WarehousePaths.withoutTrailingSlash(out);
    TableStore storage = store == null ? new DeltaTableStore(spark) : store;
    ImportMapping mapping = MappingLoader.load(mappingFile);
    MappingSource source = sourceOverride == null ? mapping.source() : mapping.source().withPath(resolveOverride(sourceOverride));
    checkSourceExists(mapping, source);
    return RehearsalSpark.inJobGroup(spark, "rehearsal-import-" + runId,
        "import " + mapping.name() + " into " + outDir, () -> run(mapping, source, storage, outDir));
  }

  private ImportResult run(ImportMapping mapping, MappingSource source, TableStore storage, String outDir) {
    progress.step("import %s: reading %s source %s", mapping.name(), source.format(), source.path());
    TableSource pinned = storage.pin(source.tableSource("import source of " + mapping.name()));
    Dataset<Row> raw = read(storage, pinned);
    AnnotatedRows annotated = SourceMapping.annotate(raw, mapping.spec());
    MappedTables tables = SourceMapping.derive(annotated, mapping.spec());

    // Counting and the three writes all start from the annotated rows; compute them once.
    Dataset<Row> cached = annotated.rows().persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Outcome outcome = Outcome.of(tables, mapping);
      progress.step("import %s: %s rows read, %s kept, %s excluded", mapping.name(), Progress.count(outcome.rowsRead),
          Progress.count(outcome.rowsKept), Progress.count(outcome.rowsRead - outcome.rowsKept));
      if (outcome.rowsRead == 0) {
        throw RehearsalException.invalidInput("Cannot import mapping " + mappingFile,
            "the source " + pinned.path() + " has no rows", "check source.path and the reader options; nothing was written");
      }
      if (outcome.rowsKept == 0) {
        throw RehearsalException.invalidInput("Cannot import mapping " + mappingFile,
            "all " + outcome.rowsRead + " source rows were excluded (" + outcome.describeExcluded() + ")",
            "check the column mapping and the exclusion rules; nothing was written");
      }

      Map<String, Dataset<Row>> outputs = new LinkedHashMap<>();
      outputs.put(CanonicalTables.EVENTS, tables.events());
      outputs.put(CanonicalTables.USERS, tables.users());
      outputs.put(CanonicalTables.ITEMS, tables.items());
      Map<String, CommitInfo> commits = new LinkedHashMap<>();
      Map<String, String> hashes = new LinkedHashMap<>();
      Map<String, Long> rows = new LinkedHashMap<>();
      for (Map.Entry<String, Dataset<Row>> e : outputs.entrySet()) {
        String table = e.getKey();
        WrittenTable written = WrittenTable.overwrite(storage, table, e.getValue(), outDir + "/" + table, runId);
        CommitInfo commit = written.commit();
        commits.put(table, commit);
        rows.put(table, written.rows());
        hashes.put(table, written.contentHash());
        progress.step("import %s: wrote %s %s rows to %s (Delta version %d)", mapping.name(), Progress.count(rows.get(table)),
            table, commit.path(), commit.version());
      }
      if (rows.get(CanonicalTables.EVENTS) != outcome.rowsKept) {
        throw new IllegalStateException("Wrote " + rows.get(CanonicalTables.EVENTS) + " events but counted "
            + outcome.rowsKept + " kept rows");
      }
      return new ImportResult(runId, mapping.name(), mappingFile.toString(), pinned.path(), pinned.format(),
          pinned.version(), outDir, outcome.rowsRead, outcome.rowsKept, outcome.excluded, outcome.eventsByType,
          rows.get(CanonicalTables.USERS), rows.get(CanonicalTables.ITEMS), commits, hashes);
    } finally {
      cached.unpersist();
    }
  }

  private Dataset<Row> read(TableStore storage, TableSource source) {
    try {
      return storage.read(source);
    } catch (Exception e) {
      // Spark throws AnalysisException (checked in Java's eyes) undeclared, e.g. for a bad reader option.
      if (e instanceof AnalysisException) {
        throw RehearsalException.invalidInput("Cannot read the source of mapping " + mappingFile,
            source.format() + " at " + source.path() + ": " + ((AnalysisException) e).getSimpleMessage().strip().split("\n")[0],
            "check source.path, source.format and source.options (or --source)", e);
      }
      throw e;
    }
  }

  private void checkSourceExists(ImportMapping mapping, MappingSource source) {
    if (URI_SCHEME.matcher(source.path()).matches()) {
      return;
    }
    if (!Files.exists(Path.of(source.path()))) {
      String fix = sourceOverride == null
          ? "correct source.path in the mapping (a relative path resolves against " + mapping.file().toAbsolutePath().getParent()
              + ") or pass --source"
          : "correct --source";
      throw RehearsalException.invalidInput("Cannot import mapping " + mappingFile, "the source " + source.path()
          + " does not exist", fix);
    }
  }

  private static String resolveOverride(String path) {
    if (URI_SCHEME.matcher(path).matches()) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  /** The counts of one import, from the mapping's outcome rows (one Spark job). */
  private static final class Outcome {
    long rowsRead;
    long rowsKept;
    final Map<String, Long> excluded = new LinkedHashMap<>();
    final Map<String, Long> eventsByType = new LinkedHashMap<>();

    String describeExcluded() {
      StringBuilder sb = new StringBuilder();
      excluded.forEach((reason, n) -> {
        if (n > 0) {
          sb.append(sb.length() == 0 ? "" : ", ").append(reason).append(": ").append(n);
        }
      });
      return sb.toString();
    }

    static Outcome of(MappedTables tables, ImportMapping mapping) {
      Outcome o = new Outcome();
      Map<String, Long> byReason = new LinkedHashMap<>();
      for (String type : CanonicalTables.EVENT_TYPES) {
        o.eventsByType.put(type, 0L);
      }
      for (Row r : tables.outcomes().collectAsList()) {
        String reason = r.getString(r.fieldIndex("reason"));
        long n = r.getLong(r.fieldIndex("rows"));
        o.rowsRead += n;
        if (reason == null) {
          o.rowsKept += n;
          o.eventsByType.merge(r.getString(r.fieldIndex("event_type")), n, Long::sum);
        } else {
          byReason.merge(reason, n, Long::sum);
        }
      }
      List<String> declared = mapping.spec().exclusions().stream().map(x -> x.name()).toList();
      for (String reason : tables.exclusionReasons()) {
        long n = byReason.getOrDefault(reason, 0L);
        if (n > 0 || declared.contains(reason)) {
          o.excluded.put(reason, n);
        }
      }
      for (Map.Entry<String, Long> e : byReason.entrySet()) {
        if (!o.excluded.containsKey(e.getKey())) {
          throw new IllegalStateException("Rows excluded for undeclared reason '" + e.getKey() + "'");
        }
      }
      return o;
    }
  }

  /** Every setting checked before anything is read or written. */
  private void check() {
    Objects.requireNonNull(spark, "spark");
    RehearsalException.check(mappingFile != null, "Cannot import", "no mapping file was given (--mapping)");
    RehearsalException.check(out != null, "Cannot import", "no output directory was given (--out)");
    RehearsalException.check(!out.isBlank(), "Cannot import", "the output directory is blank: '" + out + "'");
    checkRunIdAndProgress("Cannot import");
    RehearsalException.check(sourceOverride == null || !sourceOverride.isBlank(), "Cannot import",
        "the --source override is blank: '" + sourceOverride + "'");
    if (!URI_SCHEME.matcher(out).matches()) {
      Path outPath = Path.of(out);
      RehearsalException.check(!Files.exists(outPath) || Files.isDirectory(outPath), "Cannot import",
          "the output path " + outPath.toAbsolutePath() + " exists and is not a directory");
    }
  }
}
