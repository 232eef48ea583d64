package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.snapshot.PseudonymSalt;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Generate the demo lake if missing, then run the demo manifest.",
    description = {
        "Run the embedded default: generate the demo lake if it is missing, then 'rehearsal run manifests/demo.yaml'",
        "(validate, plan, snapshot, backfill, parity, evaluate, simulate, drift, gate, record, report, teardown),",
        "ending with the verdict, the per-segment gate table and the report path.",
        "Prints per-segment summaries. Paths default to the repository (REHEARSAL_HOME, set by bin/rehearsal)."},
    footer = {"", "Exit codes: 0 success (the demo's FAIL verdict is intended and still exits 0),",
        "1 runtime failure, 2 invalid input."})
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

  @Option(names = "--fresh", description = "With --run-id of an earlier demo run: start that run over.")
  boolean fresh;

  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    String home = System.getenv().getOrDefault("REHEARSAL_HOME", ".");
    String lakeDir = lake != null ? lake : Path.of(home, "demo-data", "lake").toString();
    String warehouseDir = warehouse != null ? warehouse : Path.of(home, "demo-data", "warehouse").toString();
    String manifestFile = manifest != null ? manifest : Path.of(home, "manifests", "demo.yaml").toString();
    String runId = sparkOptions.runId("demo");

    boolean haveLake = new DeltaTableStore(sparkOptions.session("rehearsal-demo"))
        .exists(Path.of(lakeDir, "events").toString());
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
    List<String> run = new ArrayList<>(List.of("run", manifestFile, "--lake", lakeDir, "--warehouse", warehouseDir,
        "--run-id", runId));
    if (System.getenv(PseudonymSalt.ENV) == null && System.getenv(PseudonymSalt.FILE_ENV) == null) {
      String demoSalt = Path.of(home, "conf", "demo-salt.txt").toString();
      System.out.println("demo: pseudonymizing with the demo salt in " + demoSalt
          + " (not a secret; set " + PseudonymSalt.ENV + " for real data)");
      run.addAll(List.of("--salt-file", demoSalt));
    }
    if (fresh) {
      run.add("--fresh");
    }
    System.out.println("\ndemo: rehearsal " + String.join(" ", run));
    int code = RehearsalCli.execute(run.toArray(new String[0]));
    if (code == RehearsalCli.EXIT_CHECK_FAILED) {
      System.err.println("\ndemo: the verdict is FAIL, as the demo intends: its candidate is built to help loyalty "
          + "members and hurt first-time buyers (the gates above name what failed), and the demo lake's promotion is a "
          + "real drift. 'rehearsal run' exits 3 on FAIL; the demo itself succeeded and exits 0.");
      return RehearsalCli.EXIT_OK;
    }
    return code;
  }
}
