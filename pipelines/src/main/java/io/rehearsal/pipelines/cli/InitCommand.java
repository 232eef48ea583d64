package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.init.InitJob;
import io.rehearsal.pipelines.init.InitResult;
import io.rehearsal.pipelines.jobs.Progress;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code rehearsal init}: a starter import mapping for a source, or a starter manifest for a lake. */
@Command(
    name = "init",
    header = "Scaffold a mapping for a source or a manifest for a lake.",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = {
        "Given a source (a CSV, Parquet or Delta file or folder), write a starter import mapping: every source column "
            + "listed, the canonical bindings guessed from names and sampled values (user, item, timestamp and its "
            + "pattern, quantity, price, order and session ids, event types), each guess with a comment "
            + "(docs/import-mapping.md).",
        "Given a lake (the events, users and items Delta tables that import or generate wrote), write a starter "
            + "manifest whose segments, cutoff, horizon, feature day and drift windows follow from the data's dates "
            + "and attributes, every field commented (docs/manifest.md), and beside it a new random pseudonymization "
            + "salt (<manifest>.salt) unless one is there.",
        "Your own data in four commands: init SOURCE --out mapping.yaml; import --mapping mapping.yaml --out LAKE; "
            + "init LAKE --out manifest.yaml; run manifest.yaml --salt-file manifest.salt.",
        "Never replaces an existing file unless --force; the file is checked (it loads, and a mapping's expressions "
            + "resolve against the source) before it appears."
    })
public final class InitCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "SOURCE_OR_LAKE",
      description = "A source file or folder (CSV, Parquet, Delta), or a lake folder with events, users and items.")
  String from;

  @Option(names = "--out", required = true, paramLabel = "FILE",
      description = "The mapping or manifest file to write, e.g. my-data/mapping.yaml.")
  Path out;

  @Option(names = "--format", paramLabel = "FORMAT",
      description = "The source's format when its file names do not tell: csv, parquet or delta.")
  String format;

  @Option(names = "--force", description = "Replace --out if it exists (a salt file beside a manifest is always kept).")
  boolean force;

  @Mixin SparkOptions sparkOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    String runId = sparkOptions.runId("init");
    InitResult result = new InitJob().spark(sparkOptions.session("rehearsal init"))
        .from(from)
        .out(out)
        .format(format)
        .force(force)
        .runId(runId)
        .progress(Progress.to(System.out))
        .execute();
    return CommandSummary.print(spec, result.summaryLines());
  }
}
