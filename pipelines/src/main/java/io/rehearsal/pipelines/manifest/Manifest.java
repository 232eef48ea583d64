package io.rehearsal.pipelines.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.slicing.PrivacySpec;
import io.rehearsal.transforms.slicing.SegmentSpec;
import java.util.List;
import java.util.Map;

/**
 * A loaded, structurally valid manifest. {@code sha256} is the hash of the file's bytes;
 * {@code inputs} have their paths resolved against the lake and are not yet pinned.
 */
public record Manifest(
    String file,
    String sha256,
    String name,
    String description,
    String lake,
    String warehouse,
    Map<String, TableSource> inputs,
    List<SegmentSpec> segments,
    PrivacySpec privacy,
    FeaturesSection features,
    ModelSpec baseline,
    ModelSpec candidate,
    EvaluationSpec evaluation,
    GatesSection gates,
    DriftSection drift,
    SimulationSection simulation,
    JsonNode content) {

  public Manifest {
    inputs = OrderedMaps.copyOf(inputs);
    segments = List.copyOf(segments);
  }

  public boolean hasFeatures() {
    return features != null;
  }

  /** The declared segment of that name (names are unique; the loader checks references to them). */
  public SegmentSpec segment(String name) {
    return segments.stream().filter(s -> s.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No segment '" + name + "' in manifest " + file));
  }

  /** Whether the manifest declares models, an evaluation protocol and gates (all three or none). */
  public boolean hasEvaluation() {
    return evaluation != null;
  }

  public boolean hasDrift() {
    return drift != null;
  }

  public boolean hasSimulation() {
    return simulation != null;
  }

  /**
   * This manifest writing under another warehouse (a run's workspace) and reading its inputs as given
   * (pinned once by the run, so every step reads the same versions).
   */
  public Manifest inWorkspace(String workspace, Map<String, TableSource> pinnedInputs) {
    return new Manifest(file, sha256, name, description, lake, workspace, pinnedInputs, segments, privacy, features,
        baseline, candidate, evaluation, gates, drift, simulation, content);
  }

  public TableSource input(String table) {
    return inputs.get(table);
  }
}
