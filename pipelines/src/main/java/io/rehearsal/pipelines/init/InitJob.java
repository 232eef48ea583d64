package io.rehearsal.pipelines.init;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.countDistinct;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.to_date;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.pipelines.jobs.Job;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.mapping.ImportMapping;
import io.rehearsal.pipelines.mapping.MappingLoader;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.mapping.SourceMapping;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.sql.Date;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code rehearsal init}: a starter file for data the user brings. Given a source (a CSV, Parquet or Delta file or
 * folder) it writes an import mapping ({@link MappingScaffold}); given a lake ({@code events}, {@code users} and
 * {@code items} Delta tables, e.g. from {@code import}) it writes a manifest ({@link ManifestScaffold}) and, beside it,
 * a new random pseudonymization salt unless one is there.
 *
 * <p>The written file is checked first: a mapping loads and its expressions resolve against the source, a manifest
 * loads. It appears whole (written beside, then moved) and never replaces an existing file unless forced.
 */
public final class InitJob extends Job<InitJob> {

  /** Rows of a source the mapping's guesses are made from. */
  static final int SAMPLE_ROWS = 5_000;
  private static final List<String> FORMATS = MappingLoader.FORMATS;

  private String from;
  private Path out;
  private String format;
  private boolean force;

  /** A source file or folder, or a lake folder (required). */
  public InitJob from(String path) {
    this.from = path;
    return this;
  }

  /** The file to write (required). */
  public InitJob out(Path file) {
    this.out = file;
    return this;
  }

  /** The source's format when its name does not tell (csv, parquet, delta). */
  public InitJob format(String format) {
    this.format = format;
    return this;
  }

  /** Replace {@code out} if it exists. */
  public InitJob force(boolean force) {
    this.force = force;
    return this;
  }

  public InitResult execute() {
    String problem = "Cannot scaffold from " + from;
    RehearsalException.check(from != null && !from.isBlank(), "Cannot scaffold", "no source or lake was given");
    RehearsalException.check(out != null, problem, "no output file was given");
    checkRunIdAndProgress(problem);
    RehearsalException.check(format == null || FORMATS.contains(format), problem,
        "--format must be one of " + FORMATS + ", got '" + format + "'");
    if (Files.exists(out) && !force) {
      throw RehearsalException.invalidInput(problem, out + " already exists",
          "choose another --out, or pass --force to replace it");
    }
    TableStore storage = store == null ? new DeltaTableStore(spark) : store;
    String source = WarehousePaths.withoutTrailingSlash(from);
    RehearsalException.check(storage.pathExists(source), problem, "there is no file or folder at " + source);
    return RehearsalSpark.inJobGroup(spark, "rehearsal-init-" + runId, "init from " + source, () -> {
      if (isLake(storage, source)) {
        return manifest(storage, source);
      }
      return mapping(storage, source);
    });
  }

  private static boolean isLake(TableStore storage, String path) {
    return storage.exists(path + "/events") && storage.exists(path + "/users") && storage.exists(path + "/items");
  }

  // ---------------------------------------------------------------------------------------------- mapping

  private InitResult mapping(TableStore storage, String source) {
    if (!source.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")
        && out.toAbsolutePath().normalize().startsWith(Path.of(source).toAbsolutePath().normalize())) {
      throw RehearsalException.invalidInput("Cannot scaffold a mapping from " + source, "--out " + out
          + " is inside the source, whose reader would take the mapping for data", "write the mapping outside " + source);
    }
    String fmt = format != null ? format : guessFormat(storage, source);
    progress.step("init: reading up to %,d rows of the %s source %s", SAMPLE_ROWS, fmt, source);
    Map<String, String> options = new LinkedHashMap<>();
    if (fmt.equals("csv")) {
      options.put("header", "true");
      options.put("inferSchema", "false");
      options.put("sep", separator(source));
      options.put("quote", "\"");
      options.put("escape", "\"");
      options.put("mode", "FAILFAST");
      options.put("encoding", "UTF-8");
    }
    Dataset<Row> rows = storage.read(new TableSource("init source", source, fmt, null, options));
    List<SourceSample.Column> columns = new ArrayList<>();
    for (var f : rows.schema().fields()) {
      columns.add(new SourceSample.Column(f.name(), f.dataType().simpleString()));
    }
    List<Row> sampled;
    try {
      sampled = rows.limit(SAMPLE_ROWS).collectAsList();
    } catch (RuntimeException e) {
      throw RehearsalException.invalidInput("Cannot read a sample of " + source, fmt + " reader: "
              + RehearsalException.firstLine(String.valueOf(org.apache.commons.lang3.exception.ExceptionUtils.getRootCause(e)),
              e.toString()),
          fmt.equals("csv") ? "check that it is a CSV file with a header line (separator detected: '"
              + options.get("sep").replace("\t", "\\t") + "'), or pass --format" : "check the file, or pass --format", e);
    }
    List<List<String>> values = new ArrayList<>();
    for (Row r : sampled) {
      List<String> row = new ArrayList<>(r.length());
      for (int i = 0; i < r.length(); i++) {
        row.add(r.isNullAt(i) ? null : String.valueOf(r.get(i)));
      }
      values.add(row);
    }
    RehearsalException.check(!values.isEmpty(), "Cannot scaffold a mapping from " + source, "the source has no rows");
    SourceSample sample = new SourceSample(source, fmt, options, columns, values);
    MappingScaffold.Result scaffold = MappingScaffold.of(snake(baseName(source)), pathInFile(source), sample);
    Path written = writeChecked(scaffold.yaml(), file -> {
      ImportMapping mapping = MappingLoader.load(file);
      // The expressions resolve against the source as the import reads it (analysis only, no data read).
      Dataset<Row> read = storage.read(mapping.source().tableSource("init check"));
      var tables = SourceMapping.apply(read, mapping.spec());
      tables.events().schema();
      tables.users().schema();
      tables.items().schema();
    });
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "Wrote the import mapping %s (%,d rows of %d columns sampled)", written,
        values.size(), columns.size()));
    for (MappingScaffold.Binding b : scaffold.bindings()) {
      lines.add(String.format(Locale.ROOT, "  %-20s %s  (%s)", b.column(), b.value(), b.why()));
    }
    lines.add("  unused source columns: " + (scaffold.unused().isEmpty() ? "none" : String.join(", ", scaffold.unused())));
    lines.add("Check each guess in the file, then: bin/rehearsal import --mapping " + written + " --out <lake folder>");
    return new InitResult(runId, "mapping", written.toString(), null, lines);
  }

  private String guessFormat(TableStore storage, String source) {
    if (storage.exists(source)) {
      return "delta";
    }
    String name = source.substring(source.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
    List<String> names = new ArrayList<>();
    if (Files.isDirectory(Path.of(source))) {
      try (var files = Files.list(Path.of(source))) {
        files.map(p -> p.getFileName().toString().toLowerCase(Locale.ROOT)).filter(n -> !n.startsWith(".") && !n.startsWith("_"))
            .forEach(names::add);
      } catch (IOException e) {
        throw RehearsalException.runtime("Cannot list " + source, e.getMessage(), "check the folder's permissions", e);
      }
    } else {
      names.add(name);
    }
    if (!names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".parquet") || n.endsWith(".parq"))) {
      return "parquet";
    }
    if (!names.isEmpty() && names.stream().allMatch(n -> n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".tsv")
        || n.endsWith(".txt"))) {
      return "csv";
    }
    throw RehearsalException.invalidInput("Cannot scaffold a mapping from " + source,
        "its format is not clear from its name" + (names.size() > 1 ? "s" : "") + " (" + String.join(", ",
            names.stream().limit(5).toList()) + (names.size() > 5 ? ", ..." : "") + ")",
        "pass --format csv, parquet or delta (JSON lines: convert to one of them first)");
  }

  /** The most frequent of comma, semicolon, tab and bar in the first line; a comma when none occurs. */
  private String separator(String source) {
    List<Row> first = spark.read().text(source).limit(1).collectAsList();
    String line = first.isEmpty() ? "" : first.get(0).getString(0);
    String best = ",";
    long bestCount = 0;
    for (String sep : List.of(",", ";", "\t", "|")) {
      long n = line.chars().filter(c -> c == sep.charAt(0)).count();
      if (n > bestCount) {
        best = sep;
        bestCount = n;
      }
    }
    return best;
  }

  /** The source's path as the mapping file holds it: relative to the file's folder when both are local. */
  private String pathInFile(String source) {
    if (source.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return source;
    }
    Path folder = out.toAbsolutePath().normalize().getParent();
    return folder.relativize(Path.of(source).toAbsolutePath().normalize()).toString();
  }

  // --------------------------------------------------------------------------------------------- manifest

  private InitResult manifest(TableStore storage, String lake) {
    progress.step("init: reading the lake %s (events, users)", lake);
    LakeFacts facts = facts(storage, lake);
    String name = snake(baseName(out.getFileName().toString().replaceFirst("\\.ya?ml$", "")));
    String warehouse = lake + "-warehouse";
    ManifestScaffold.Result scaffold = ManifestScaffold.of(name, lake, warehouse, facts);
    Path written = writeChecked(scaffold.yaml(), file -> new ManifestLoader().load(file));
    Path salt = saltFile(written);
    boolean newSalt = !Files.exists(salt);
    if (newSalt) {
      writeSalt(salt);
    }
    ManifestScaffold.Dates d = scaffold.dates();
    List<String> lines = new ArrayList<>();
    lines.add("Wrote the manifest " + written + " for the lake " + lake);
    lines.add(String.format(Locale.ROOT, "  events:      %,d of %,d users, %s to %s (%d days)", facts.events(), facts.users(),
        facts.firstDay(), facts.lastDay(), facts.days()));
    lines.add("  segments:    " + String.join(", ", scaffold.segments()) + " (window " + d.windowStart() + " to "
        + d.windowEnd() + ")");
    lines.add("  evaluation:  cutoff " + d.cutoff() + ", horizon " + d.horizonDays() + " days");
    lines.add("  features:    as of " + d.asOf());
    lines.add("  drift:       reference " + d.referenceStart() + " … " + d.referenceEnd() + ", current " + d.currentStart()
        + " … " + d.currentEnd());
    lines.add("  salt:        " + salt + (newSalt ? " (new: keep it secret and unchanged, the same salt gives the same "
        + "pseudonyms; keep it out of version control)" : " (kept: it was there)"));
    lines.add("Next: bin/rehearsal run " + written + " --salt-file " + salt);
    return new InitResult(runId, "manifest", written.toString(), salt.toString(), lines);
  }

  private LakeFacts facts(TableStore storage, String lake) {
    Dataset<Row> events = storage.read(storage.pin(TableSource.delta("events", lake + "/events")));
    Dataset<Row> users = storage.read(storage.pin(TableSource.delta("users", lake + "/users")));
    Dataset<Row> perUser = events.groupBy("user_id").agg(count(lit(1)).as("n"),
        sum(when(col("event_type").equalTo("purchase"), col("quantity").multiply(col("unit_price")))).as("revenue"),
        min(to_date(col("event_ts"))).as("first_day"), max(to_date(col("event_ts"))).as("last_day"))
        .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      Row r = perUser.agg(min("first_day"), max("last_day"), sum("n"), count(lit(1)),
          count(when(col("n").geq(2), lit(1))),
          expr("percentile_approx(CASE WHEN revenue > 0 THEN CAST(revenue AS DOUBLE) END, 0.75, 10000)")).first();
      RehearsalException.check(!r.isNullAt(0), "Cannot scaffold a manifest from " + lake, "its events table has no rows");
      Map<String, Long> byType = new LinkedHashMap<>();
      for (Row t : events.groupBy("event_type").count().collectAsList()) {
        byType.put(t.getString(0), t.getLong(1));
      }
      Map<String, LakeFacts.Attribute> attributes = new LinkedHashMap<>();
      List<String> columns = List.of("loyalty_tier", "country", "device");
      Row sizes = users.agg(count(lit(1)), columns.stream().map(c -> countDistinct(col(c))).toArray(Column[]::new)).first();
      long userRows = sizes.getLong(0);
      for (int i = 0; i < columns.size(); i++) {
        String column = columns.get(i);
        List<Row> top = users.where(col(column).isNotNull()).groupBy(column).count()
            .orderBy(col("count").desc(), col(column)).limit(1).collectAsList();
        if (!top.isEmpty()) {
          attributes.put(column, new LakeFacts.Attribute(column, sizes.getLong(i + 1), top.get(0).getString(0),
              userRows == 0 ? 0 : top.get(0).getLong(1) / (double) userRows));
        }
      }
      return new LakeFacts(((Date) r.get(0)).toLocalDate(), ((Date) r.get(1)).toLocalDate(), r.getLong(2), r.getLong(3),
          r.getLong(4), byType, r.isNullAt(5) ? null : r.getDouble(5), attributes, List.of());
    } finally {
      perUser.unpersist();
    }
  }

  /** {@code <manifest without .yaml>.salt} beside the manifest. */
  static Path saltFile(Path manifest) {
    String name = manifest.getFileName().toString().replaceFirst("\\.ya?ml$", "");
    return manifest.resolveSibling(name + ".salt");
  }

  private static void writeSalt(Path file) {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    try {
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".salt-", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(tmp, HexFormat.of().formatHex(bytes), StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot write the salt file " + file, e.getMessage(),
          "check that its folder is writable", e);
    }
  }

  // ---------------------------------------------------------------------------------------------- writing

  private interface Check {
    void accept(Path file);
  }

  /** Writes {@code text} beside {@code out}, checks it there, then moves it to {@code out}; nothing is left on failure. */
  private Path writeChecked(String text, Check check) {
    Path target = out.toAbsolutePath().normalize();
    Path tmp = null;
    try {
      Files.createDirectories(target.getParent());
      tmp = Files.createTempFile(target.getParent(), "." + target.getFileName() + "-", ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      // A configuration file, readable like any other (a temporary file is created for its owner alone).
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
      try {
        check.accept(tmp);
      } catch (RuntimeException e) {
        Path shown = tmp;
        throw RehearsalException.runtime("Cannot scaffold " + out, "the file written does not pass its own check ("
                + String.valueOf(e.getMessage()).replace(shown.toString(), out.toString()) + ")",
            "a defect of rehearsal init: please report it with the source's column names and a few rows; meanwhile write "
                + "the file by hand (docs/import-mapping.md, docs/manifest.md)", e);
      }
      if (force) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } else {
        // Not replacing: a file that appeared meanwhile stays (createLink fails when the name exists).
        try {
          Files.createLink(target, tmp);
          Files.delete(tmp);
        } catch (UnsupportedOperationException | java.nio.file.FileSystemException noHardLinks) {
          if (noHardLinks instanceof FileAlreadyExistsException exists) {
            throw exists;
          }
          Files.move(tmp, target); // fails too when the name exists
        }
      }
      tmp = null;
      return out;
    } catch (FileAlreadyExistsException e) {
      throw RehearsalException.invalidInput("Cannot scaffold from " + from, out + " already exists",
          "choose another --out, or pass --force to replace it");
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot write " + out, e.getMessage(), "check that its folder is writable", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file's name starts with a dot; nothing reads it
        }
      }
    }
  }

  private static String baseName(String path) {
    String p = WarehousePaths.withoutTrailingSlash(path);
    String name = p.substring(p.lastIndexOf('/') + 1);
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** A lower_snake name as manifests and mappings take it: starts with a letter, at most 64 characters. */
  static String snake(String text) {
    String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
    if (s.isEmpty() || !Character.isLetter(s.charAt(0))) {
      s = "data_" + s;
    }
    return s.length() > 64 ? s.substring(0, 64) : s;
  }
}
