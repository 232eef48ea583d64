package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import io.rehearsal.transforms.quality.Bound;
import io.rehearsal.transforms.quality.ParityTolerance;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.schema.CanonicalTables;
import io.rehearsal.transforms.slicing.PrivacySpec;
import io.rehearsal.transforms.slicing.SamplingPolicy;
import io.rehearsal.transforms.slicing.SamplingSpec;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a manifest file: YAML syntax, then the JSON Schema, then the rules a schema cannot express
 * (unique names, date order, exactly one of rate/size, policy-specific fields). Every problem is
 * collected and reported at once. Checks that need the data (filters, columns, inputs) are done by
 * {@link ManifestValidator}.
 */
public final class ManifestLoader {

  public static final String DEFAULT_WAREHOUSE = "rehearsal-warehouse";


  private final ManifestSchemaChecker schema = new ManifestSchemaChecker();
  private String lakeOverride;
  private String warehouseOverride;

  public ManifestLoader lakeOverride(String lake) {
    this.lakeOverride = lake;
    return this;
  }

  public ManifestLoader warehouseOverride(String warehouse) {
    this.warehouseOverride = warehouse;
    return this;
  }

  /** Loads and checks the manifest, throwing one INVALID_INPUT error listing every problem. */
  public Manifest load(Path file) {
    return load(file, read(file));
  }

  /**
   * Loads manifest content as if it were the file at {@code file} (relative feature-set paths resolve
   * against that file's folder): how a run record's recorded manifest is loaded again.
   */
  public Manifest load(Path file, byte[] bytes) {
    JsonNode doc = parse(file, bytes);
    List<ManifestProblem> problems = new ArrayList<>(schema.check(doc));
    if (problems.isEmpty()) {
      problems.addAll(checkRules(doc));
    }
    if (!problems.isEmpty()) {
      throw ManifestInvalidException.of(file.toString(), problems);
    }
    return bind(file, bytes, doc);
  }

  private static byte[] read(Path file) {
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw RehearsalException.invalidInput("Cannot read manifest " + file, "the file does not exist",
          "pass the path of a manifest YAML file, e.g. manifests/demo.yaml");
    } catch (IOException e) {
      throw RehearsalException.invalidInput("Cannot read manifest " + file, e.toString(), "check the file's permissions", e);
    }
  }

  private static JsonNode parse(Path file, byte[] bytes) {
    return YamlDocuments.readMapping("Manifest " + file, "Cannot read manifest " + file, bytes,
        "start from one of the examples in manifests/");
  }

  private static List<ManifestProblem> checkRules(JsonNode doc) {
    List<ManifestProblem> problems = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    JsonNode segments = doc.get("segments");
    for (int i = 0; i < segments.size(); i++) {
      JsonNode s = segments.get(i);
      String at = "segments[" + i + "]";
      String name = s.get("name").asText();
      Integer first = seen.putIfAbsent(name, i);
      if (first != null) {
        problems.add(new ManifestProblem(at + ".name", "duplicate segment name '" + name + "' (also segments[" + first + "]); names must be unique"));
      }
      LocalDate start = date(s.path("window").get("start"), at + ".window.start", problems);
      LocalDate end = date(s.path("window").get("end"), at + ".window.end", problems);
      if (start != null && end != null && !start.isBefore(end)) {
        problems.add(new ManifestProblem(at + ".window", "start " + start + " must be before end " + end + " (the window is [start, end) in UTC days)"));
      }
      checkSampling(s.get("sampling"), at + ".sampling", problems);
    }
    checkFeatures(doc, problems);
    EvaluationRules.check(doc, problems);
    DriftRules.check(doc, problems);
    SimulationRules.check(doc, problems);
    SecretRules.check(doc, problems);
    JsonNode privacy = doc.path("privacy");
    List<String> pseudonymized = new ArrayList<>();
    privacy.path("pseudonymize").forEach(n -> pseudonymized.add(n.asText()));
    JsonNode drop = privacy.path("drop");
    for (int i = 0; i < drop.size(); i++) {
      if (pseudonymized.contains(drop.get(i).asText())) {
        problems.add(new ManifestProblem("privacy.drop[" + i + "]",
            "column '" + drop.get(i).asText() + "' is also listed in privacy.pseudonymize; list it in one of them"));
      }
    }
    return problems;
  }

  private static void checkFeatures(JsonNode doc, List<ManifestProblem> problems) {
    JsonNode features = doc.get("features");
    if (features == null) {
      return;
    }
    LocalDate start = date(features.path("as_of").get("start"), "features.as_of.start", problems);
    LocalDate end = date(features.path("as_of").get("end"), "features.as_of.end", problems);
    if (start != null && end != null && start.isAfter(end)) {
      problems.add(new ManifestProblem("features.as_of", "start " + start + " must not be after end " + end
          + " (both as-of days are included)"));
    }
    if (start != null && end != null && end.toEpochDay() - start.toEpochDay() >= 3660) {
      problems.add(new ManifestProblem("features.as_of", "at most 3660 as-of days, got "
          + (end.toEpochDay() - start.toEpochDay() + 1)));
    }
    Map<String, JsonNode> segments = new LinkedHashMap<>();
    doc.get("segments").forEach(s -> segments.put(s.get("name").asText(), s));
    JsonNode chosen = features.path("segments");
    for (int i = 0; i < chosen.size(); i++) {
      if (!segments.containsKey(chosen.get(i).asText())) {
        problems.add(new ManifestProblem("features.segments[" + i + "]", "unknown segment '" + chosen.get(i).asText()
            + "'; expected one of " + segments.keySet()));
      }
    }
    if (end != null) {
      for (JsonNode s : segments.values()) {
        if (chosen.size() > 0 && !containsText(chosen, s.get("name").asText())) {
          continue;
        }
        String windowEnd = s.path("window").path("end").asText();
        try {
          if (end.isAfter(LocalDate.parse(windowEnd))) {
            problems.add(new ManifestProblem("features.as_of.end", "as-of day " + end + " is after the end " + windowEnd
                + " of segment '" + s.get("name").asText() + "', whose snapshot has no events from then on; end the "
                + "as-of days on or before " + windowEnd));
          }
        } catch (DateTimeParseException e) {
          // reported with the segment
        }
      }
    }
    JsonNode baseline = features.path("parity").path("baseline");
    if (!baseline.isMissingNode()) {
      boolean profile = baseline.has("profile");
      boolean tables = baseline.has("users") || baseline.has("items");
      if (profile == tables) {
        problems.add(new ManifestProblem("features.parity.baseline", "set either 'profile: lake' or feature tables "
            + "'users'/'items', got " + (profile ? "both" : "neither")));
      }
    }
  }

  static boolean containsText(JsonNode array, String text) {
    for (JsonNode n : array) {
      if (n.asText().equals(text)) {
        return true;
      }
    }
    return false;
  }

  private static void checkSampling(JsonNode sampling, String at, List<ManifestProblem> problems) {
    boolean hasRate = sampling.has("rate");
    boolean hasSize = sampling.has("size");
    if (hasRate == hasSize) {
      problems.add(new ManifestProblem(at, "set exactly one of 'rate' or 'size', got " + (hasRate ? "both" : "neither")));
    }
    String policy = sampling.get("policy").asText();
    requireOnlyFor(sampling, at, "stratify_by", "stratified", policy, problems);
    requireOnlyFor(sampling, at, "catalog_part", "head_tail", policy, problems);
    for (String optional : List.of("head_items_share", "min_share")) {
      if (sampling.has(optional) && !"head_tail".equals(policy)) {
        problems.add(new ManifestProblem(at + "." + optional, "only applies to policy 'head_tail', got policy '" + policy + "'"));
      }
    }
  }

  private static void requireOnlyFor(JsonNode sampling, String at, String field, String forPolicy, String policy, List<ManifestProblem> problems) {
    if (forPolicy.equals(policy) && !sampling.has(field)) {
      problems.add(new ManifestProblem(at + "." + field, "required when policy is '" + forPolicy + "'"));
    }
    if (!forPolicy.equals(policy) && sampling.has(field)) {
      problems.add(new ManifestProblem(at + "." + field, "only applies to policy '" + forPolicy + "', got policy '" + policy + "'"));
    }
  }

  static LocalDate date(JsonNode node, String at, List<ManifestProblem> problems) {
    try {
      return LocalDate.parse(node.asText());
    } catch (DateTimeParseException e) {
      problems.add(new ManifestProblem(at, "not a calendar date, got '" + node.asText() + "'"));
      return null;
    }
  }

  private Manifest bind(Path file, byte[] bytes, JsonNode doc) {
    String lake = lakeOverride != null ? lakeOverride : doc.path("lake").asText(".");
    String warehouse = warehouseOverride != null ? warehouseOverride : doc.path("warehouse").asText(DEFAULT_WAREHOUSE);
    Map<String, TableSource> inputs = new LinkedHashMap<>();
    for (String table : CanonicalTables.ALL) {
      inputs.put(table, tableSource(table, lake, doc.get("inputs").get(table)));
    }
    List<SegmentSpec> segments = new ArrayList<>();
    for (JsonNode s : doc.get("segments")) {
      JsonNode sm = s.get("sampling");
      SamplingSpec sampling = new SamplingSpec(
          SamplingPolicy.fromManifestName(sm.get("policy").asText()),
          sm.get("seed").asLong(),
          sm.has("rate") ? sm.get("rate").asDouble() : null,
          sm.has("size") ? sm.get("size").asLong() : null,
          sm.has("stratify_by") ? sm.get("stratify_by").asText() : null,
          sm.has("catalog_part") ? sm.get("catalog_part").asText() : null,
          sm.path("head_items_share").asDouble(SamplingSpec.DEFAULT_HEAD_ITEMS_SHARE),
          sm.path("min_share").asDouble(SamplingSpec.DEFAULT_MIN_SHARE));
      segments.add(new SegmentSpec(
          s.get("name").asText(),
          s.path("description").asText(""),
          s.has("filter") ? s.get("filter").asText() : null,
          LocalDate.parse(s.get("window").get("start").asText()),
          LocalDate.parse(s.get("window").get("end").asText()),
          s.path("min_events_per_user").asLong(1),
          sampling));
    }
    List<String> pseudonymize = new ArrayList<>();
    doc.path("privacy").path("pseudonymize").forEach(n -> pseudonymize.add(n.asText()));
    List<String> drop = new ArrayList<>();
    doc.path("privacy").path("drop").forEach(n -> drop.add(n.asText()));
    FeaturesSection features = bindFeatures(file, doc, lake, segments);
    EvaluationSpec evaluation = EvaluationRules.evaluation(doc, segments);
    return new Manifest(file.toString(), ContentHash.sha256Hex(new String(bytes, StandardCharsets.UTF_8)),
        doc.get("name").asText(), doc.path("description").asText(""), lake, warehouse, inputs, segments,
        new PrivacySpec(pseudonymize, drop), features, EvaluationRules.model(doc, "baseline", lake),
        EvaluationRules.model(doc, "candidate", lake), evaluation, EvaluationRules.gates(doc),
        DriftRules.bind(doc, segments, features), SimulationRules.bind(doc, evaluation), doc);
  }

  private static FeaturesSection bindFeatures(Path file, JsonNode doc, String lake, List<SegmentSpec> segments) {
    JsonNode f = doc.get("features");
    if (f == null) {
      return null;
    }
    String set = null;
    if (f.has("set")) {
      Path folder = file.toAbsolutePath().getParent();
      set = folder.resolve(f.get("set").asText()).normalize().toString();
    }
    List<String> chosen = new ArrayList<>();
    if (f.has("segments")) {
      f.get("segments").forEach(n -> chosen.add(n.asText()));
    } else {
      segments.forEach(s -> chosen.add(s.name()));
    }
    ParitySection parity = null;
    JsonNode p = f.get("parity");
    if (p != null) {
      JsonNode b = p.get("baseline");
      List<String> exclude = new ArrayList<>();
      p.path("exclude").forEach(n -> exclude.add(n.asText()));
      Map<String, ParityTolerance> overrides = new LinkedHashMap<>();
      p.path("overrides").fields().forEachRemaining(e -> overrides.put(e.getKey(), tolerance(e.getValue())));
      parity = new ParitySection(b.has("profile"), baselineTable(lake, b, "users"), baselineTable(lake, b, "items"),
          exclude, ParityTolerance.DEFAULT.overriddenBy(tolerance(p.get("tolerance"))), overrides,
          p.path("sampling_noise_z").asDouble(ParitySection.DEFAULT_NOISE_Z));
    }
    return new FeaturesSection(set, chosen, LocalDate.parse(f.get("as_of").get("start").asText()),
        LocalDate.parse(f.get("as_of").get("end").asText()), parity);
  }

  private static TableSource baselineTable(String lake, JsonNode baseline, String entity) {
    JsonNode in = baseline.get(entity);
    return in == null ? null : tableSource("baseline " + entity + " features", lake, in);
  }

  /** A declared input ({@code path, format?, version?, options?}) with its path resolved against the lake. */
  private static TableSource tableSource(String name, String lake, JsonNode in) {
    Map<String, String> options = new LinkedHashMap<>();
    in.path("options").fields().forEachRemaining(e -> options.put(e.getKey(), e.getValue().asText()));
    return new TableSource(name, resolve(lake, in.get("path").asText()), in.path("format").asText("delta"),
        in.has("version") ? in.get("version").asLong() : null, options);
  }

  private static ParityTolerance tolerance(JsonNode node) {
    if (node == null) {
      return null;
    }
    return new ParityTolerance(bound(node.get("mean")), bound(node.get("p50")), bound(node.get("p90")),
        bound(node.get("missing_rate")));
  }

  private static Bound bound(JsonNode node) {
    return node == null ? null : new Bound(node.path("relative").asDouble(0), node.path("absolute").asDouble(0));
  }

  /** Absolute paths and URIs (s3a://…) are kept; relative ones are joined to the lake. */
  public static String resolve(String base, String path) {
    if (path.startsWith("/") || path.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
      return path;
    }
    return base.endsWith("/") ? base + path : base + "/" + path;
  }
}
