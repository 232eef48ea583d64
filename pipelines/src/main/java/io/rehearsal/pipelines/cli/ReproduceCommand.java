package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.run.ReproduceJob;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "reproduce", mixinStandardHelpOptions = true,
    header = "Rebuild a run's snapshots and features; compare their hashes.",
    description = {"Re-materializes a recorded run's snapshots and features from its record (the manifest content,",
        "pinned input versions and feature set it registered) in a scratch folder and checks that every content",
        "hash matches the record. Fails clearly when a pinned input version is no longer readable (e.g. after VACUUM)."},
    footer = {"", "Exit codes: 0 reproduced, 1 runtime failure (e.g. an input version is gone), 2 invalid input,",
        "3 a content hash differs."})
public final class ReproduceCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run id to reproduce.")
  String runId;

  @Option(names = "--salt-file", paramLabel = "FILE",
      description = "The run's pseudonymization salt (default: $" + PseudonymSalt.ENV + " or $" + PseudonymSalt.FILE_ENV + ").")
  String saltFile;

  @Mixin WarehouseOption warehouseOption;
  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    SparkSession spark = sparkOptions.session("rehearsal-reproduce");
    String salt = ModelSaltOptions.saltOrNull(saltFile);
    ReproduceJob.ReproduceResult result = new ReproduceJob().spark(spark).store(new DeltaTableStore(spark))
        .warehouse(warehouseOption.warehouse()).runId(runId).salt(salt).progress(Progress.to(System.out)).execute();
    System.out.printf("%nReproduction of run %s: %s%n", runId, result.reproduced() ? "every content hash matches"
        : "content hashes DIFFER");
    for (ReproduceJob.TableCheck t : result.tables()) {
      System.out.printf("  %-8s %-40s %,10d rows  %s%n", t.matches() ? "MATCH" : "DIFFERS", t.table(), t.reproducedRows(),
          t.matches() ? t.recordedHash().substring(0, 16) : "recorded " + t.recordedHash() + ", reproduced " + t.reproducedHash());
    }
    return result.reproduced() ? RehearsalCli.EXIT_OK : RehearsalCli.EXIT_CHECK_FAILED;
  }
}
