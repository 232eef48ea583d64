package io.rehearsal.pipelines.lake;

import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.io.WrittenTable;
import io.rehearsal.pipelines.jobs.Job;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.generate.DemoLake;
import io.rehearsal.transforms.generate.DemoLakeGenerator;
import io.rehearsal.transforms.schema.CanonicalTables;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code rehearsal generate}: writes the deterministic synthetic demo lake (docs/demo-lake.md) as
 * {@code <out>/events}, {@code <out>/users} and {@code <out>/items} Delta tables, each overwritten in one
 * commit whose userMetadata is the run id. Same seed and scale give the same content hashes on every
 * run; a re-run adds a new Delta version per table rather than appending rows.
 */
public final class GenerateJob extends Job<GenerateJob> {

  private static final String PROBLEM = "Cannot generate demo lake";
  private static final Pattern URI_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:.*");
  /** Small tables first, so progress shows up before the long events write. */
  private static final List<String> WRITE_ORDER = List.of(CanonicalTables.USERS, CanonicalTables.ITEMS, CanonicalTables.EVENTS);

  private long seed = 42L;
  private int scale = 1;
  private String outDir;

  public GenerateJob seed(long value) {
    this.seed = value;
    return this;
  }

  /** Size multiplier: scale 1 is 1,000 users and roughly 75k events (see DemoLakeSpec). */
  public GenerateJob scale(int value) {
    this.scale = value;
    return this;
  }

  /** Output directory: tables go to {@code <out>/events|users|items} (required). */
  public GenerateJob outDir(String dir) {
    this.outDir = dir;
    return this;
  }

  public GenerateResult execute() {
    DemoLakeGenerator generator = checkedGenerator();
    long start = System.nanoTime();
    String out = resolve(outDir);
    TableStore tables = store == null ? new DeltaTableStore(spark) : store;
    String description = String.format("generate demo lake (seed %d, scale %d) into %s", generator.seed(),
        generator.scale(), out);
    return RehearsalSpark.inJobGroup(spark, "rehearsal-generate-" + runId, description,
        () -> run(generator, tables, out, start));
  }

  /** Every setting checked before anything runs; the generator for the seed and scale. */
  private DemoLakeGenerator checkedGenerator() {
    DemoLakeGenerator generator = DemoLakeGenerator.builder().seed(seed).scale(scale).build();
    RehearsalException.check(outDir != null, PROBLEM, "no output directory was given (--out)");
    RehearsalException.check(!outDir.isBlank(), PROBLEM, "the output directory is blank: '" + outDir + "'");
    checkRunIdAndProgress(PROBLEM);
    if (!URI_SCHEME.matcher(outDir).matches()) {
      Path outPath = Path.of(outDir);
      RehearsalException.check(!Files.exists(outPath) || Files.isDirectory(outPath), PROBLEM,
          "the output path " + outPath.toAbsolutePath() + " exists and is not a directory");
    }
    Objects.requireNonNull(spark, "spark");
    return generator;
  }

  private GenerateResult run(DemoLakeGenerator generator, TableStore tables, String out, long start) {
    DemoLake lake = generator.generate(spark);
    Map<String, Long> rows = new LinkedHashMap<>();
    Map<String, CommitInfo> commits = new LinkedHashMap<>();
    Map<String, String> hashes = new LinkedHashMap<>();
    for (String table : WRITE_ORDER) {
      WrittenTable written = WrittenTable.overwrite(tables, table, lake.table(table), out + "/" + table, runId);
      CommitInfo commit = written.commit();
      rows.put(table, written.rows());
      hashes.put(table, written.contentHash());
      commits.put(table, commit);
      progress.step("generate: wrote %s %s rows to %s (Delta version %d)", Progress.count(rows.get(table)), table,
          commit.path(), commit.version());
    }
    return new GenerateResult(runId, generator.seed(), generator.scale(), out, canonicalOrder(rows),
        canonicalOrder(commits), canonicalOrder(hashes), Duration.ofNanos(System.nanoTime() - start));
  }

  private static <V> Map<String, V> canonicalOrder(Map<String, V> byTable) {
    Map<String, V> ordered = new LinkedHashMap<>();
    for (String table : CanonicalTables.ALL) {
      ordered.put(table, byTable.get(table));
    }
    return ordered;
  }

  /** Local paths become absolute so the result and the logs say where the tables are; URIs stay as given. */
  private static String resolve(String dir) {
    String path = URI_SCHEME.matcher(dir).matches() ? dir : Path.of(dir).toAbsolutePath().normalize().toString();
    while (path.length() > 1 && path.endsWith("/")) {
      path = path.substring(0, path.length() - 1);
    }
    return path;
  }
}
