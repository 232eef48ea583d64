package io.rehearsal.pipelines.features;

import io.rehearsal.transforms.features.FeatureSpec;
import java.time.LocalDate;
import java.util.List;

/**
 * The immutable outcome of a backfill: the feature set (id and source), the as-of days, one entry per
 * snapshot × entity, and per segment the as-of days whose longest window reaches before the snapshot's
 * window start (their features see a truncated history).
 */
public record BackfillResult(
    String runId,
    String featureSetId,
    String featureSetSource,
    LocalDate asOfStart,
    LocalDate asOfEnd,
    List<EntityBackfill> tables,
    List<String> warnings,
    double elapsedSeconds) {

  public BackfillResult {
    tables = List.copyOf(tables);
    warnings = List.copyOf(warnings);
  }

  public EntityBackfill table(String segment, FeatureSpec.Entity entity) {
    return tables.stream().filter(t -> t.segment().equals(segment) && t.entity() == entity).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("No backfill of " + entity + " features for segment '" + segment + "'"));
  }
}
