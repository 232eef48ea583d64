package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.snapshot.SnapshotResult;
import io.rehearsal.pipelines.snapshot.SnapshotSummary;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "snapshot", mixinStandardHelpOptions = true,
    header = "Write each segment of a manifest as a Delta snapshot.",
    description = {
        "Materializes every segment of a manifest as a versioned Delta snapshot under <warehouse>/snapshots/.",
        "Inputs are pinned at their Delta versions once; users are sampled deterministically and kept whole;",
        "PII is pseudonymized with the salt from " + PseudonymSalt.ENV + " or " + PseudonymSalt.FILE_ENV + "."},
    footer = {"", "Exit codes: 0 success, 1 runtime failure, 2 invalid manifest, input or salt."})
public final class SnapshotCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @Option(names = "--salt-file", paramLabel = "FILE",
      description = "File holding the pseudonymization salt (default: $" + PseudonymSalt.ENV + " or $" + PseudonymSalt.FILE_ENV + ").")
  String saltFile;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    StepStart start = StepStart.of("snapshot", manifest, sparkOptions);
    SnapshotResult result = start.job(new SnapshotJob())
        .salt(saltFile != null ? PseudonymSalt.fromEnvironment(Map.of(PseudonymSalt.FILE_ENV, saltFile))
            : PseudonymSalt.fromEnvironment(System.getenv()))
        .execute();
    System.out.print(SnapshotSummary.format(result, manifest.warehouse()));
    return RehearsalCli.EXIT_OK;
  }
}
