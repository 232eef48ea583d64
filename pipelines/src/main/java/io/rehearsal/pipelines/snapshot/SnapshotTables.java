package io.rehearsal.pipelines.snapshot;

import io.rehearsal.pipelines.io.WarehousePaths;
import java.util.List;

/** Where snapshot outputs live under the warehouse root. */
public final class SnapshotTables {

  public static final String EVENTS = "events";
  public static final String USERS = "users";
  public static final String ITEMS = "items";
  public static final List<String> ENTITY_TABLES = List.of(EVENTS, USERS, ITEMS);
  public static final String FIDELITY = "fidelity";
  /** One row per snapshot: what later steps (backfill, parity) look snapshots up by. */
  public static final String INDEX = "index";
  /** Input events a testbed cannot use, with the reason (EventQuarantine); only when there were some. */
  public static final String QUARANTINE = "quarantine";

  private SnapshotTables() {}

  public static String path(String warehouse, String table) {
    return WarehousePaths.under(warehouse, "snapshots", table);
  }
}
