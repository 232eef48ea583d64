package io.rehearsal.transforms.slicing;

import java.util.Locale;

/** How a segment's users are sampled; see docs/manifest.md for the exact definitions. */
public enum SamplingPolicy {
  UNIFORM,
  STRATIFIED,
  REVENUE_WEIGHTED,
  HEAD_TAIL;

  public String manifestName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SamplingPolicy fromManifestName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
