package io.rehearsal.pipelines.manifest;

import java.time.LocalDate;
import java.util.List;

/**
 * The manifest's {@code features} section: which feature set (a file, or null for the built-in default),
 * which segments, the as-of days [asOfStart, asOfEnd] (daily step) and the parity check (null: none).
 */
public record FeaturesSection(String setFile, List<String> segments, LocalDate asOfStart, LocalDate asOfEnd,
    ParitySection parity) {

  public FeaturesSection {
    segments = List.copyOf(segments);
  }

  public long days() {
    return asOfEnd.toEpochDay() - asOfStart.toEpochDay() + 1;
  }
}
