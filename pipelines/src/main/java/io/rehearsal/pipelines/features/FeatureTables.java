package io.rehearsal.pipelines.features;

import io.rehearsal.pipelines.io.WarehousePaths;
import io.rehearsal.transforms.features.FeatureSpec.Entity;
import java.util.List;
import java.util.Locale;

/**
 * Where feature outputs live: one Delta table per snapshot and entity,
 * {@code <warehouse>/features/<snapshot_id>/{user_daily,item_daily}}, and the parity results of all
 * snapshots in {@code <warehouse>/features/parity}. Feature tables are per snapshot so that each keeps
 * exactly the schema of the feature set it was computed with.
 */
public final class FeatureTables {

  public static final String SNAPSHOT_ID = "snapshot_id";
  public static final String FEATURE_SET = "feature_set";
  public static final String SNAPSHOT_HASH = "snapshot_hash";
  /** Columns a feature table has besides the computed ones (id, as_of_date, features). */
  public static final List<String> METADATA = List.of(SNAPSHOT_ID, FEATURE_SET, SNAPSHOT_HASH);

  private FeatureTables() {}

  public static String path(String warehouse, String snapshotId, Entity entity) {
    return root(warehouse) + snapshotId + "/" + entity.name().toLowerCase(Locale.ROOT) + "_daily";
  }

  public static String parity(String warehouse) {
    return root(warehouse) + "parity";
  }

  private static String root(String warehouse) {
    return WarehousePaths.under(warehouse, "features", "");
  }
}
