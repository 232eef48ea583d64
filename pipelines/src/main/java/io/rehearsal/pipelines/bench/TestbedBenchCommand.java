package io.rehearsal.pipelines.bench;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.sum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.cli.SparkOptions;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.run.CanonicalJson;
import io.rehearsal.pipelines.run.RunFiles;
import io.rehearsal.pipelines.run.RunJob;
import io.rehearsal.pipelines.run.RunPlan;
import io.rehearsal.pipelines.run.RunResult;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The whole-testbed benchmark behind {@code bench/run testbed} ({@link BenchCli}): in one Spark application, the
 * engine floor — read the lake's events once, aggregate them per (user, day), write the result as Delta — and then
 * a full {@code run} of a manifest over the same lake, each step measured by {@link StepMeter} (wall time, share,
 * jobs, task CPU, shuffle bytes, peak heap, rows written, events per second). Prints the table and the ratio of
 * the run to the floor, and writes both as JSON and CSV for bench/RESULTS.md.
 */
@Command(name = "testbed", mixinStandardHelpOptions = true,
    description = "Benchmark: a full run of a manifest vs the engine floor (read, aggregate per (user, day), write).")
public final class TestbedBenchCommand implements Callable<Integer> {

  /** Which run step wrote an output table, by the table's folder in the run's workspace. */
  private static final Map<String, String> WRITER = linked("snapshots/", "snapshot", "features/parity", "parity",
      "features/", "backfill", "evaluation/", "evaluate", "simulation/", "simulate", "drift/", "drift");

  @Option(names = "--lake", required = true, paramLabel = "DIR",
      description = "Lake with events, users, items (Delta).")
  String lake;

  @Option(names = "--manifest", defaultValue = "manifests/demo.yaml", paramLabel = "FILE",
      description = "The manifest to run (default: ${DEFAULT-VALUE}).")
  Path manifest;

  @Option(names = "--work", required = true, paramLabel = "DIR",
      description = "Where the floor's table and the run's warehouse are written (replaced on every run).")
  Path work;

  @Option(names = "--salt-file", defaultValue = "conf/demo-salt.txt", paramLabel = "FILE",
      description = "Pseudonymization salt (default: ${DEFAULT-VALUE}, the demo's).")
  String saltFile;

  @Option(names = "--results", defaultValue = "bench/results", paramLabel = "DIR",
      description = "Where the JSON and CSV results go (default: ${DEFAULT-VALUE}).")
  Path results;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() throws IOException {
    SparkSession spark = sparkOptions.session("rehearsal-bench-testbed");
    String salt = PseudonymSalt.fromEnvironment(Map.of(PseudonymSalt.FILE_ENV, saltFile));
    new RunFiles(spark).deleteRecursively(work.toString());
    Dataset<Row> events = spark.read().format("delta").load(Path.of(lake, "events").toString());
    long n = events.count();
    System.out.printf(Locale.ROOT, "bench: %,d events in %s; manifest %s; %d cores; max heap %,d MB%n", n, lake,
        manifest, Runtime.getRuntime().availableProcessors(), StepMeter.maxHeap() >> 20);

    RunResult result;
    try (StepMeter meter = StepMeter.start(spark)) {
      meter.phase("floor");
      events.groupBy(col("user_id"), expr("to_date(event_ts)").as("day"))
          .agg(count("*").as("events"), sum(expr("quantity * unit_price")).as("revenue"))
          .write().format("delta").mode("overwrite").save(work.resolve("floor").toString());
      meter.phase(null);
      PrintStream progress = new PrintStream(new LineTap(line -> {
        String step = StepMeter.stepOf(line);
        if (step != null) {
          meter.phase(step);
        }
        System.out.println(line);
      }), true, StandardCharsets.UTF_8);
      result = new RunJob().spark(spark).store(new DeltaTableStore(spark)).manifestFile(manifest).lake(lake)
          .warehouse(work.resolve("warehouse").toString()).runId("bench-testbed").snapshotSalt(salt).modelSalt(salt)
          .progress(Progress.to(progress)).out(System.out).execute();
      meter.close();
      RunFiles files = new RunFiles(spark);
      report(spark, meter.phases(), n, rowsByStep(CanonicalJson.parse(files.read(result.recordFile()))), result);
    }
    return RehearsalCli.EXIT_OK;
  }

  private void report(SparkSession spark, List<StepMeter.Phase> phases, long events, Map<String, Long> rows,
      RunResult result) throws IOException {
    StepMeter.Phase floor = phases.get(0);
    List<StepMeter.Phase> steps = phases.subList(1, phases.size());
    double testbed = steps.stream().mapToDouble(StepMeter.Phase::seconds).sum();
    System.out.printf(Locale.ROOT, "%nbench: %-10s %9s %6s %6s %10s %11s %11s %13s %12s%n", "phase", "seconds",
        "share", "jobs", "task cpu s", "shuffle MB", "peak heap MB", "rows written", "events/s");
    System.out.println(line(floor, events, null, null));
    for (StepMeter.Phase p : steps) {
      System.out.println(line(p, events, testbed, rows.get(p.name())));
    }
    System.out.printf(Locale.ROOT, "bench: %-10s %9.1f %6s%n", "testbed", testbed, "100%");
    System.out.printf(Locale.ROOT, "bench: ratio testbed / floor = %.1f× (verdict %s)%n", testbed / floor.seconds(),
        result.verdict());

    ObjectMapper json = new ObjectMapper();
    ObjectNode out = json.createObjectNode();
    String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
    out.put("benchmark", "testbed");
    out.put("date", Instant.now().toString());
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("max_heap_bytes", StepMeter.maxHeap());
    out.put("java", System.getProperty("java.version"));
    out.put("spark", spark.version());
    out.put("delta", RunPlan.deltaVersion());
    out.put("lake", lake);
    out.put("events", events);
    out.put("manifest", manifest.toString());
    out.put("floor_seconds", floor.seconds());
    out.put("testbed_seconds", testbed);
    out.put("ratio", testbed / floor.seconds());
    out.put("verdict", String.valueOf(result.verdict()));
    ArrayNode list = out.putArray("phases");
    StringBuilder csv = new StringBuilder(
        "phase,seconds,jobs,task_cpu_seconds,shuffle_read_bytes,shuffle_write_bytes,peak_heap_bytes,rows_written\n");
    for (StepMeter.Phase p : phases) {
      ObjectNode row = list.addObject();
      row.put("phase", p.name());
      row.put("seconds", p.seconds());
      row.put("jobs", p.jobs());
      row.put("task_cpu_seconds", p.taskCpuSeconds());
      row.put("shuffle_read_bytes", p.shuffleReadBytes());
      row.put("shuffle_write_bytes", p.shuffleWriteBytes());
      row.put("peak_heap_bytes", p.peakHeapBytes());
      Long written = rows.get(p.name());
      if (written != null) {
        row.put("rows_written", written);
      }
      csv.append(String.format(Locale.ROOT, "%s,%.3f,%d,%.3f,%d,%d,%d,%s%n", p.name(), p.seconds(), p.jobs(),
          p.taskCpuSeconds(), p.shuffleReadBytes(), p.shuffleWriteBytes(), p.peakHeapBytes(),
          written == null ? "" : written.toString()));
    }
    Files.createDirectories(results);
    Path base = results.resolve("testbed-" + stamp);
    json.writerWithDefaultPrettyPrinter().writeValue(Path.of(base + ".json").toFile(), out);
    Files.writeString(Path.of(base + ".csv"), csv);
    System.out.printf(Locale.ROOT, "bench: results in %s.json and %s.csv%n", base, base);
  }

  private static String line(StepMeter.Phase p, long events, Double testbed, Long rows) {
    return String.format(Locale.ROOT, "bench: %-10s %9.1f %6s %6d %10.1f %11.1f %12.0f %13s %,12.0f", p.name(),
        p.seconds(), testbed == null ? "" : String.format(Locale.ROOT, "%.0f%%", 100 * p.seconds() / testbed),
        p.jobs(), p.taskCpuSeconds(), (p.shuffleReadBytes() + p.shuffleWriteBytes()) / 1e6, p.peakHeapBytes() / 1e6,
        rows == null ? "" : String.format(Locale.ROOT, "%,d", rows), events / p.seconds());
  }

  /** Rows each step wrote, from the run's record (its result entry lists every output table with its rows). */
  static Map<String, Long> rowsByStep(JsonNode record) {
    Map<String, Long> rows = new LinkedHashMap<>();
    for (JsonNode entry : record.path("entries")) {
      for (JsonNode output : entry.path("body").path("outputs")) {
        String table = output.path("table").asText();
        WRITER.entrySet().stream().filter(w -> table.startsWith(w.getKey())).findFirst()
            .ifPresent(w -> rows.merge(w.getValue(), output.path("rows").asLong(), Long::sum));
      }
    }
    return rows;
  }

  private static Map<String, String> linked(String... pairs) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.put(pairs[i], pairs[i + 1]);
    }
    return map;
  }

  /** Hands each complete line written to it to a consumer (the progress lines, to find the step boundaries). */
  private static final class LineTap extends OutputStream {
    private final Consumer<String> consumer;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

    LineTap(Consumer<String> consumer) {
      this.consumer = consumer;
    }

    @Override
    public synchronized void write(int b) {
      if (b == '\n') {
        consumer.accept(buffer.toString(StandardCharsets.UTF_8));
        buffer.reset();
      } else {
        buffer.write(b);
      }
    }
  }
}
