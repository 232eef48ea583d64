package io.rehearsal.pipelines.manifest;

import io.rehearsal.transforms.features.FeatureSpec;
import io.rehearsal.transforms.features.RollingFeatures;
import io.rehearsal.transforms.hash.ContentHash;
import java.util.List;

/**
 * A loaded, validated feature set. {@code id} fingerprints the declarations themselves (not the file's
 * bytes), so reformatting or commenting the file does not invalidate computed features; any change to a
 * feature does.
 */
public record FeatureSet(String name, String source, List<FeatureSpec> specs) {

  public FeatureSet {
    specs = List.copyOf(specs);
  }

  public RollingFeatures features() {
    return RollingFeatures.of(specs);
  }

  /** {@code fs-<16 hex>} over the declarations in order. */
  public String id() {
    return "fs-" + ContentHash.sha256Hex("feature-set-v1|" + specs).substring(0, 16);
  }
}
