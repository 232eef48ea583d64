package io.rehearsal.pipelines.cli;

import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The manifest argument and the lake/warehouse overrides shared by manifest-driven subcommands. */
public final class ManifestOptions {

  @Parameters(index = "0", paramLabel = "MANIFEST", description = "Manifest YAML file, e.g. manifests/demo.yaml.")
  Path manifest;

  @Option(names = "--lake", paramLabel = "DIR", description = "Base for relative input paths (overrides the manifest's 'lake').")
  String lake;

  @Option(names = "--warehouse", paramLabel = "DIR", description = "Where outputs go (overrides the manifest's 'warehouse').")
  String warehouse;

  public Manifest load() {
    return new ManifestLoader().lakeOverride(lake).warehouseOverride(warehouse).load(manifest);
  }
}
