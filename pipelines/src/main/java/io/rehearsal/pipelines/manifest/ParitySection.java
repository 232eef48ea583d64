package io.rehearsal.pipelines.manifest;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.transforms.OrderedMaps;
import io.rehearsal.transforms.quality.ParityTolerance;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The manifest's {@code features.parity}: the production baseline — a profile of the full lake
 * ({@code profileLake}) or feature tables ({@code users}, {@code items}, either may be null) — the
 * columns excluded (glob patterns with {@code *}), default tolerances, per-column overrides, and the z of
 * the testbed's sampling-noise allowance (0: none).
 */
public record ParitySection(boolean profileLake, TableSource users, TableSource items, List<String> exclude,
    ParityTolerance tolerance, Map<String, ParityTolerance> overrides, double noiseZ) {

  /**
   * Default z of the sampling-noise allowance: 4 standard errors, so that with about a hundred
   * correlated checks per table a sample that truly matches its population rarely raises a false alarm.
   */
  public static final double DEFAULT_NOISE_Z = 4.0;

  public ParitySection {
    exclude = List.copyOf(exclude);
    overrides = OrderedMaps.copyOf(overrides);
  }

  public boolean excludes(String column) {
    for (String glob : exclude) {
      if (matches(glob, column)) {
        return true;
      }
    }
    return false;
  }

  /** The tolerance of one column: the defaults, then the override of the first pattern matching it. */
  public ParityTolerance toleranceOf(String column) {
    for (Map.Entry<String, ParityTolerance> e : overrides.entrySet()) {
      if (matches(e.getKey(), column)) {
        return tolerance.overriddenBy(e.getValue());
      }
    }
    return tolerance;
  }

  /** A glob where only {@code *} is special (any run of characters); everything else is literal. */
  static boolean matches(String glob, String column) {
    String regex = Arrays.stream(glob.split("\\*", -1))
        .map(part -> part.isEmpty() ? "" : Pattern.quote(part))
        .collect(Collectors.joining(".*"));
    return Pattern.matches(regex, column);
  }
}
