package io.rehearsal.pipelines.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --warehouse} of the commands that read the ledger (show, verify-ledger, reproduce). */
public final class WarehouseOption {

  @Option(names = "--warehouse", paramLabel = "DIR",
      description = "Warehouse holding the ledger (local or s3a://; default: the demo's, demo-data/warehouse).")
  String warehouse;

  String warehouse() {
    if (warehouse != null) {
      return warehouse;
    }
    return Path.of(System.getenv().getOrDefault("REHEARSAL_HOME", "."), "demo-data", "warehouse").toAbsolutePath().toString();
  }
}
