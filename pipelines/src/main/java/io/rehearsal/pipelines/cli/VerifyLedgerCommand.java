package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.run.LedgerVerifier;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "verify-ledger", mixinStandardHelpOptions = true,
    header = "Verify the ledger's hash chain and the run record files.",
    description = {
        "Checks the run ledger of a warehouse: every entry's SHA-256 against its content, every link of the hash",
        "chain, contiguous sequence numbers, that the table is still append-only and was only ever appended to,",
        "and that every run's record.json matches the ledger. Lists each problem precisely."},
    footer = {"", "Exit codes: 0 intact, 1 runtime failure, 2 invalid input, 3 tampering or damage found."})
public final class VerifyLedgerCommand implements Callable<Integer> {

  @Mixin WarehouseOption warehouseOption;
  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    SparkSession spark = sparkOptions.session("rehearsal-verify-ledger");
    LedgerVerifier.Verification v = new LedgerVerifier(spark, warehouseOption.warehouse()).verify();
    if (v.intact()) {
      System.out.printf("Ledger %s is intact: %d entries of %d run(s), hash chain unbroken, %d record file(s) match%n",
          v.ledgerPath(), v.entries(), v.runs(), v.recordFiles());
      return RehearsalCli.EXIT_OK;
    }
    System.out.printf("Ledger %s: %d problem(s) in %d entries of %d run(s)%n", v.ledgerPath(), v.problems().size(),
        v.entries(), v.runs());
    v.problems().forEach(p -> System.out.println("  TAMPERED " + p));
    return RehearsalCli.EXIT_CHECK_FAILED;
  }
}
