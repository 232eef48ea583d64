package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.run.Ledger;
import io.rehearsal.pipelines.run.PowerForecast;
import io.rehearsal.pipelines.features.FeatureInputs;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.pipelines.io.TableSource;
import java.util.Map;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestValidator;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "validate", mixinStandardHelpOptions = true,
    header = "Check a manifest and report every problem at once.",
    description = {
        "Checks a manifest and reports every problem at once, each with its path, the bad value and what is expected.",
        "Structure is checked against manifests/manifest.schema.json; then inputs are opened (schemas only, no data is read)",
        "and every segment filter must be a deterministic Spark SQL boolean expression over existing profile columns.",
        "With a 'features' section, the feature set is loaded and every feature filter and value is analysed against the inputs."},
    footer = {"", "Exit codes: 0 valid, 2 invalid, 1 runtime failure."})
public final class ValidateCommand implements Callable<Integer> {

  @Mixin ManifestOptions manifestOptions;
  @Mixin SparkOptions sparkOptions;

  @Override
  public Integer call() {
    Manifest manifest = manifestOptions.load();
    SparkSession spark = sparkOptions.session("rehearsal-validate");
    ManifestValidator validator = new ManifestValidator(spark, new DeltaTableStore(spark));
    Map<String, TableSource> pinned = RehearsalSpark.inJobGroup(spark, "rehearsal-validate", "validate " + manifest.name(),
        () -> validator.validateOrThrow(manifest, System.out::println));
    if (manifest.hasEvaluation()) {
      PowerForecast.warnings(new Ledger(spark, manifest.warehouse()), manifest.name(), "").forEach(System.out::println);
    }
    System.out.printf("%s is valid: manifest '%s', %d segment(s) [%s]; inputs %s%n", manifest.file(), manifest.name(),
        manifest.segments().size(),
        manifest.segments().stream().map(s -> s.name()).collect(Collectors.joining(", ")),
        pinned.values().stream()
            .map(s -> s.name() + "=" + s.path() + (s.version() == null ? "" : " v" + s.version()))
            .collect(Collectors.joining(", ")));
    if (manifest.hasFeatures()) {
      FeatureSet set = new FeatureSetLoader().forManifest(manifest);
      // Analysing the feature plan against the inputs' schemas checks every filter and value; nothing runs.
      DeltaTableStore store = new DeltaTableStore(spark);
      FeatureInputs inputs = FeatureInputs.of(store.read(pinned.get("events")), store.read(pinned.get("users")),
          store.read(pinned.get("items")));
      for (Entity entity : Entity.values()) {
        if (!set.features().specsOf(entity).isEmpty()) {
          inputs.featureRows(set, entity, manifest.features().asOfStart(), manifest.features().asOfEnd(), "validate",
              "validate").schema();
        }
      }
      System.out.printf("features: %d declared in %s [%s], as-of days %s … %s (%d), segments %s%s%n",
          set.specs().size(), set.source(), set.id(), manifest.features().asOfStart(), manifest.features().asOfEnd(),
          manifest.features().days(), manifest.features().segments(),
          manifest.features().parity() == null ? "" : "; parity checked by 'parity'");
    }
    return RehearsalCli.EXIT_OK;
  }
}
