package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.lake.ImportJob;
import io.rehearsal.pipelines.lake.ImportResult;
import io.rehearsal.pipelines.mapping.MappingLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code rehearsal import}: an external source through a declarative mapping into the canonical Delta tables. */
@Command(
    name = "import",
    header = "Map an external source onto the canonical lake tables.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Map an external source (CSV, Parquet or Delta) onto the canonical events, users and items tables "
            + "through a declarative YAML mapping (docs/import-mapping.md), and write them as Delta under --out.",
        "Rows the mapping excludes are counted per reason and reported; nothing is written when the mapping or the "
            + "source is invalid."
    })
public final class ImportCommand implements Callable<Integer> {

  @Option(names = "--mapping", required = true, paramLabel = "FILE",
      description = "The mapping YAML, e.g. conf/mappings/online-retail.yaml.")
  Path mapping;

  @Option(names = "--out", defaultValue = "demo-data/online-retail", paramLabel = "DIR",
      description = "Output directory for the events, users and items Delta tables (default: ${DEFAULT-VALUE}).")
  String out;

  @Option(names = "--source", paramLabel = "PATH",
      description = "Read this path instead of the mapping's source.path (same format and reader options).")
  String source;

  @Mixin SparkOptions sparkOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    // Fail on a bad mapping file before paying for a Spark session; the job loads it again (cheap).
    MappingLoader.load(mapping);
    String runId = sparkOptions.runId("import");
    ImportResult result = new ImportJob().spark(sparkOptions.session("rehearsal import"))
        .mapping(mapping)
        .out(out)
        .runId(runId)
        .source(source)
        .progress(Progress.to(System.out))
        .execute();
    return CommandSummary.print(spec, result.summaryLines());
  }
}
