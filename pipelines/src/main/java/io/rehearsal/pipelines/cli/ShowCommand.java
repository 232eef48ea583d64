package io.rehearsal.pipelines.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rehearsal.pipelines.run.CanonicalJson;
import io.rehearsal.pipelines.run.Ledger;
import io.rehearsal.pipelines.run.LedgerEntry;
import io.rehearsal.pipelines.run.RunRecords;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "show", mixinStandardHelpOptions = true,
    header = "Show a run's record from the ledger.",
    description = {"Prints a run's record from the ledger: its plan (manifest hash, inputs and pinned versions, code,",
        "seeds) and result (verdict, checks, steps, outputs), or the whole record as JSON with --json."},
    footer = {"", "Exit codes: 0 shown, 1 runtime failure, 2 unknown run id or invalid input."})
public final class ShowCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run id.")
  String runId;

  @Option(names = "--json", description = "Print the record as JSON (the same entries as its record.json).")
  boolean json;

  @Mixin WarehouseOption warehouseOption;
  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    SparkSession spark = sparkOptions.session("rehearsal-show");
    List<LedgerEntry> entries = new RunRecords(new Ledger(spark, warehouseOption.warehouse())).entries(runId);
    if (json) {
      ObjectNode record = JsonNodeFactory.instance.objectNode();
      record.put("run_id", runId);
      entries.forEach(e -> record.withArray("entries").add(e.toJson()));
      System.out.print(CanonicalJson.pretty(record));
      return RehearsalCli.EXIT_OK;
    }
    for (LedgerEntry e : entries) {
      System.out.printf("entry %d — %s, recorded %s, sha256 %s%n", e.seq(), e.kind(), e.recordedAt(), e.sha256());
      JsonNode b = e.body();
      if (LedgerEntry.PLAN.equals(e.kind())) {
        System.out.printf("  manifest  %s (%s), sha256 %s%n", b.path("manifest").path("file").asText(),
            b.path("manifest").path("name").asText(), b.path("manifest").path("sha256").asText());
        System.out.printf("  code      %s, commit %s%s%n", b.path("code").path("version").asText(),
            b.path("code").path("commit").asText(), b.path("code").path("dirty").asBoolean() ? " (uncommitted changes)" : "");
        System.out.printf("  runtime   spark %s, delta %s, java %s%n", b.path("runtime").path("spark").asText(),
            b.path("runtime").path("delta").asText(), b.path("runtime").path("java").asText());
        b.path("inputs").forEach(in -> System.out.printf("  input     %-8s %s v%s%n", in.path("name").asText(),
            in.path("path").asText(), in.path("version").asText("-")));
        System.out.printf("  seeds     %s%n", CanonicalJson.of(b.path("seeds")));
        System.out.printf("  workspace %s%n", b.path("workspace").asText());
      } else {
        System.out.printf("  status    %s, verdict %s%n", b.path("status").asText(), b.path("verdict").asText());
        if (b.hasNonNull("failure")) {
          System.out.printf("  failure   at %s: %s%n", b.path("failure").path("step").asText(),
              b.path("failure").path("message").asText());
        }
        b.path("segments").forEach(s -> System.out.printf("  segment   %-22s %s%n", s.path("segment").asText(),
            s.path("verdict").asText()));
        b.path("checks").forEach(c -> System.out.printf("  check     %-11s %-12s %s%n", c.path("check").asText(),
            c.path("status").asText(), c.path("message").asText()));
        b.path("steps").forEach(s -> System.out.printf("  step      %-9s %-8s %7.1fs  %s%n", s.path("step").asText(),
            s.path("status").asText(), s.path("seconds").asDouble(), s.path("note").asText("")));
        b.path("outputs").forEach(o -> System.out.printf("  output    %-36s v%-3d %,10d rows  %s%n",
            o.path("table").asText(), o.path("version").asLong(), o.path("rows").asLong(), o.path("content_hash").asText()));
        System.out.printf("  record    %s%n  report    %s%n", b.path("record_path").asText(), b.path("report_path").asText());
      }
    }
    return RehearsalCli.EXIT_OK;
  }
}
