package io.rehearsal.transforms.ranking;

import java.util.List;
import java.util.Optional;

/**
 * The shape a {@code kind: table} model's recommendations must have (docs/metrics.md): user_id, item_id, and rank
 * (1 = best) or score (higher = better). Checked by validation before anything is written, and again by scoring.
 */
public final class ExternalRecommendations {

  public static final String FIX = "provide user_id, item_id and rank (1 = best) or score (higher = better)";

  private ExternalRecommendations() {}

  /** What the table's columns lack, said with the columns it has; empty when it has what scoring needs. */
  public static Optional<String> missingColumns(List<String> columns) {
    for (String required : List.of("user_id", "item_id")) {
      if (!columns.contains(required)) {
        return Optional.of("it has no column '" + required + "' (columns: " + columns + ")");
      }
    }
    if (!columns.contains("rank") && !columns.contains("score")) {
      return Optional.of("it has neither a 'rank' nor a 'score' column (columns: " + columns + ")");
    }
    return Optional.empty();
  }
}
