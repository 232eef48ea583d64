package io.rehearsal.pipelines.cli;

import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    description = {
        "Run the embedded default on manifests/demo.yaml: validate, snapshot, feature backfill, parity, the drift",
        "suite and the ranking regression of the demo's candidate model against its baseline, ending with the gate",
        "verdict.",
        "Generates the demo lake first if it is missing.",
        "Prints per-segment summaries. Paths default to the repository (REHEARSAL_HOME, set by bin/rehearsal)."},
    footer = {"", "Exit codes: 0 success (the demo's drift alerts and FAIL verdict are intended and still exit 0),",
        "1 runtime failure, 2 invalid input, 3 feature parity failed."})
public final class DemoCommand implements Callable<Integer> {

  @Option(names = "--seed", defaultValue = "42", description = "Seed of the generated lake (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(names = "--scale", description = "Scale of the generated lake (default: generate's default).")
  Integer scale;

  @Option(names = "--lake", paramLabel = "DIR", description = "Demo lake folder (default: demo-data/lake).")
  String lake;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Output folder (default: demo-data/warehouse).")
  String warehouse;

  @Option(names = "--manifest", paramLabel = "FILE", description = "Manifest to run (default: manifests/demo.yaml).")
  String manifest;

  @Option(names = "--regenerate", description = "Generate the lake again even if it exists.")
  boolean regenerate;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    String home = System.getenv().getOrDefault("REHEARSAL_HOME", ".");
    String lakeDir = lake != null ? lake : Path.of(home, "demo-data", "lake").toString();
    String warehouseDir = warehouse != null ? warehouse : Path.of(home, "demo-data", "warehouse").toString();
    String manifestFile = manifest != null ? manifest : Path.of(home, "manifests", "demo.yaml").toString();
    String runId = sparkOptions.runId("demo");

    boolean haveLake = DeltaTable.isDeltaTable(sparkOptions.session("rehearsal-demo"), Path.of(lakeDir, "events").toString());
    if (haveLake && !regenerate) {
      System.out.println("demo: using the existing demo lake at " + lakeDir + " (--regenerate to rebuild it)");
    } else {
      System.out.println("demo: generating the demo lake at " + lakeDir);
      List<String> generate = new ArrayList<>(List.of("generate", "--seed", String.valueOf(seed), "--out", lakeDir, "--run-id", runId));
      if (scale != null) {
        generate.addAll(List.of("--scale", String.valueOf(scale)));
      }
      int code = RehearsalCli.execute(generate.toArray(new String[0]));
      if (code != RehearsalCli.EXIT_OK) {
        return code;
      }
    }
    System.out.println("\ndemo: validating " + manifestFile);
    int code = RehearsalCli.execute("validate", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir);
    if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    List<String> snapshot = new ArrayList<>(List.of("snapshot", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId));
    if (System.getenv(PseudonymSalt.ENV) == null && System.getenv(PseudonymSalt.FILE_ENV) == null) {
      String demoSalt = Path.of(home, "conf", "demo-salt.txt").toString();
      System.out.println("demo: pseudonymizing with the demo salt in " + demoSalt
          + " (not a secret; set " + PseudonymSalt.ENV + " for real data)");
      snapshot.addAll(List.of("--salt-file", demoSalt));
    }
    System.out.println("\ndemo: writing segment snapshots");
    code = RehearsalCli.execute(snapshot.toArray(new String[0]));
    if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    System.out.println("\ndemo: backfilling daily features");
    code = RehearsalCli.execute("backfill", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId);
    if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    System.out.println("\ndemo: checking feature parity with the full lake");
    code = RehearsalCli.execute("parity", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId);
    if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    System.out.println("\ndemo: feature drift from the week before the promotion to a week inside it, and weekly after");
    code = RehearsalCli.execute("drift", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId);
    if (code == RehearsalCli.EXIT_CHECK_FAILED) {
      System.out.println("\ndemo: drift alerts are expected here: the demo lake's promotion and price rise are real "
          + "shifts. 'rehearsal drift' exits 3 on an alert; the demo goes on.");
    } else if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    System.out.println("\ndemo: catalog changes (new SKUs, a price cut, retired bestsellers) and cold-start users");
    code = RehearsalCli.execute("simulate", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId);
    if (code == RehearsalCli.EXIT_CHECK_FAILED) {
      System.out.println("\ndemo: a model left users without a valid list (above). 'rehearsal simulate' exits 3 on "
          + "that; the demo goes on to the ranking regression.");
    } else if (code != RehearsalCli.EXIT_OK) {
      return code;
    }
    System.out.println("\ndemo: ranking regression of the candidate against the baseline, per segment");
    code = RehearsalCli.execute("evaluate", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir, "--run-id", runId);
    if (code == RehearsalCli.EXIT_CHECK_FAILED) {
      System.out.println("\ndemo: the gate verdict is FAIL, as the demo intends: its candidate is built to help loyalty "
          + "members and hurt first-time buyers (the gates above name what failed). 'rehearsal evaluate' exits 3 on FAIL; "
          + "the demo itself succeeded and exits 0.");
      return RehearsalCli.EXIT_OK;
    }
    return code;
  }
}
