package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.features.FeatureSpec;
import io.rehearsal.transforms.features.FeatureSpec.Aggregate;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import io.rehearsal.transforms.features.RollingFeatures;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a feature set YAML file (conf/features/default.yaml is the shipped default, also bundled in the
 * jar): YAML syntax, then conf/features/feature-set.schema.json, then the feature rules of
 * {@link RollingFeatures#of}. Every error names the file.
 */
public final class FeatureSetLoader {

  static final String DEFAULT_RESOURCE = "/io/rehearsal/features/default.yaml";
  static final String SCHEMA_RESOURCE = "/io/rehearsal/features/feature-set.schema.json";
  public static final String DEFAULT_NAME = "conf/features/default.yaml (built in)";


  private final ManifestSchemaChecker schema = new ManifestSchemaChecker(SCHEMA_RESOURCE);

  /** The manifest's feature set: its features.set file, or the shipped default. */
  public FeatureSet forManifest(Manifest manifest) {
    if (!manifest.hasFeatures() || manifest.features().setFile() == null) {
      return loadDefault();
    }
    return load(Path.of(manifest.features().setFile()));
  }

  /** The shipped default feature set. */
  public FeatureSet loadDefault() {
    try (InputStream in = FeatureSetLoader.class.getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Default feature set " + DEFAULT_RESOURCE + " is missing from the jar");
      }
      return parse(DEFAULT_NAME, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public FeatureSet load(Path file) {
    try {
      return parse(file.toString(), Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      throw RehearsalException.invalidInput("Cannot read feature set " + file, "the file does not exist",
          "point features.set in the manifest at a feature set file (relative to the manifest's folder), or remove "
              + "it to use conf/features/default.yaml");
    } catch (IOException e) {
      throw RehearsalException.invalidInput("Cannot read feature set " + file, e.toString(), "check the file's permissions", e);
    }
  }

  FeatureSet parse(String source, byte[] bytes) {
    JsonNode doc = YamlDocuments.readMapping("Feature set " + source, "Cannot read feature set " + source, bytes,
        "start from conf/features/default.yaml");
    List<ManifestProblem> problems = schema.check(doc);
    if (!problems.isEmpty()) {
      throw YamlDocuments.invalid("Feature set " + source, problems,
          "reference: docs/features.md, schema: conf/features/feature-set.schema.json");
    }
    List<FeatureSpec> specs = new ArrayList<>();
    for (JsonNode f : doc.get("features")) {
      List<Integer> windows = new ArrayList<>();
      f.path("windows").forEach(w -> windows.add(w.asInt()));
      specs.add(new FeatureSpec(
          f.get("name").asText(),
          Entity.valueOf(f.get("entity").asText().toUpperCase(Locale.ROOT)),
          text(f, "filter"),
          Aggregate.valueOf(f.get("aggregate").asText().toUpperCase(Locale.ROOT)),
          text(f, "value"),
          windows,
          text(f, "numerator"),
          text(f, "denominator"),
          f.has("lag_days") ? f.get("lag_days").asInt() : null));
    }
    try {
      RollingFeatures.of(specs);
    } catch (RehearsalException e) {
      throw RehearsalException.invalidInput("Feature set " + source + " is invalid", e.getMessage(),
          "correct the feature named above (reference: docs/features.md)", e);
    }
    return new FeatureSet(doc.get("name").asText(), source, specs);
  }

  private static String text(JsonNode node, String field) {
    return node.has(field) ? node.get(field).asText() : null;
  }
}
