package io.rehearsal.pipelines.snapshot;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.rehearsal.pipelines.io.CommitInfo;
import io.rehearsal.pipelines.io.LakeEvents;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.jobs.StepJob;
import io.rehearsal.pipelines.manifest.ManifestValidator;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.hash.ContentHash;
import io.rehearsal.transforms.slicing.EntityClosure;
import io.rehearsal.transforms.slicing.EventQuarantine;
import io.rehearsal.transforms.slicing.FidelitySummary;
import io.rehearsal.transforms.slicing.Pseudonymizer;
import io.rehearsal.transforms.slicing.SegmentPopulation;
import io.rehearsal.transforms.slicing.SegmentSampler;
import io.rehearsal.transforms.slicing.SegmentSpec;
import io.rehearsal.transforms.slicing.UserProfiles;
import java.sql.Date;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Materializes every segment of a manifest as a versioned Delta snapshot: pins inputs, filters,
 * samples deterministically, keeps users whole, pseudonymizes, and writes each snapshot table in one
 * Delta commit (replacing only this manifest's snapshot ids, so re-runs never duplicate).
 */
public final class SnapshotJob extends StepJob<SnapshotJob> {

  static final String FORMAT_VERSION = "snapshot-v1";

  private String salt;
  private boolean inputsValidated;

  /**
   * The manifest was validated and its inputs pinned just before (the run's validate and plan steps): its inputs are
   * read at the versions it names, without checking the manifest against the lake a second time (a scan of the
   * events for their date range).
   */
  public SnapshotJob inputsValidated() {
    this.inputsValidated = true;
    return this;
  }

  /** Secret salt for pseudonymization; required when the manifest pseudonymizes any column. */
  public SnapshotJob salt(String salt) {
    this.salt = salt;
    return this;
  }

  public SnapshotResult execute() {
    checkGiven("Cannot run snapshot");
    if (!manifest.privacy().pseudonymize().isEmpty() && (salt == null || salt.isEmpty())) {
      throw RehearsalException.invalidInput(
          "Cannot pseudonymize columns " + manifest.privacy().pseudonymize() + " of manifest " + manifest.file(),
          "no salt is configured",
          "set " + PseudonymSalt.ENV + " or point " + PseudonymSalt.FILE_ENV + " at a file holding the secret salt");
    }
    long started = System.nanoTime();
    return RehearsalSpark.inJobGroup(spark, "rehearsal-snapshot-" + runId, "snapshot " + manifest.name(), () -> run(started));
  }

  private SnapshotResult run(long started) {
    List<Dataset<Row>> cached = new ArrayList<>();
    try {
      return run(started, cached);
    } finally {
      // Also when a segment is refused or a write fails: a shared session keeps no cached data of a failed snapshot.
      cached.forEach(Dataset::unpersist);
    }
  }

  private Map<String, TableSource> pinnedAsGiven() {
    Map<String, TableSource> pinned = new LinkedHashMap<>();
    manifest.inputs().forEach((name, source) -> pinned.put(name, store.pin(source)));
    return pinned;
  }

  private SnapshotResult run(long started, List<Dataset<Row>> cached) {
    Map<String, TableSource> pinned = inputsValidated ? pinnedAsGiven()
        : new ManifestValidator(spark, store).validateOrThrow(manifest);
    Map<String, Long> inputVersions = new LinkedHashMap<>();
    pinned.forEach((k, v) -> inputVersions.put(k, v.version() == null ? -1L : v.version()));
    progress.step("pinned inputs: %s", pinned.values().stream()
        .map(s -> s.name() + (s.version() == null ? " (" + s.format() + ", unversioned)" : " v" + s.version()))
        .collect(Collectors.joining(", ")));
    Map<String, Long> tableVersions = new LinkedHashMap<>();
    java.time.Instant written = store.committedAt(pinned.get("events"));
    if (written == null) {
      progress.step("events %s: no commit time known (unversioned, or its commit file was cleaned up): no check for "
          + "events in the future", pinned.get("events").path());
    }
    // The split LakeEvents makes for the lake-side reads, with the commit time already read for the note above.
    EventQuarantine.Split split = LakeEvents.split(store, pinned.get("events"), written);
    Dataset<Row> events = split.kept();
    if (split.total() > 0) {
      // The kept rows come from a ranking over every event (duplicates): computed once, not once per use.
      events = events.persist(StorageLevel.MEMORY_AND_DISK());
      cached.add(events);
    }
    Dataset<Row> users = store.read(pinned.get("users"));
    Dataset<Row> items = store.read(pinned.get("items"));

    Map<String, List<Dataset<Row>>> outputs = new LinkedHashMap<>();
    outputs.put(SnapshotTables.EVENTS, new ArrayList<>());
    outputs.put(SnapshotTables.USERS, new ArrayList<>());
    List<Row> fidelityRows = new ArrayList<>();
    Map<String, Object[]> perSegment = new LinkedHashMap<>();

    for (int i = 0; i < manifest.segments().size(); i++) {
      SegmentSpec segment = manifest.segments().get(i);
      String snapshotId = snapshotId(i, pinned);
      Dataset<Row> windowEvents = events.where(UserProfiles.inWindow(segment.windowStart(), segment.windowEnd()));
      Dataset<Row> eligible = SegmentPopulation.eligible(events, users, segment).cache();
      Dataset<Row> sampled = SegmentSampler.sample(eligible, windowEvents, segment.sampling()).cache();
      cached.add(eligible);
      cached.add(sampled);
      long sampledUsers = sampled.count();
      List<FidelitySummary.Metric> fidelity = FidelitySummary.compute(
          eligible, eligible.join(sampled.select("user_id"), "user_id"), segment.sampling().stratifyBy());
      long eligibleUsers = (long) fidelity.get(0).population();
      // Profiles join events to the users table; users missing from it cannot be sampled: say so.
      long unknownUsers = windowEvents.select("user_id").distinct()
          .join(users.select("user_id"), Columns.using("user_id"), "left_anti").count();
      progress.step("segment %s: %s eligible users, sampled %s (%s, seed %d)", segment.name(),
          Progress.count(eligibleUsers), Progress.count(sampledUsers), segment.sampling().policy().manifestName(),
          segment.sampling().seed());
      refuseEmpty(segment, i, eligibleUsers, sampledUsers);

      Dataset<Row> snapshotEvents = EntityClosure.events(events, sampled, segment.windowStart(), segment.windowEnd());
      outputs.get(SnapshotTables.EVENTS).add(tag(privatize(snapshotEvents), snapshotId, segment.name()));
      outputs.get(SnapshotTables.USERS).add(tag(privatize(EntityClosure.users(users, sampled)), snapshotId, segment.name()));
      for (FidelitySummary.Metric m : fidelity) {
        fidelityRows.add(RowFactory.create(snapshotId, segment.name(), m.name(), m.population(), m.sample(), runId));
      }
      perSegment.put(segment.name(), new Object[] {snapshotId, eligibleUsers, sampledUsers, fidelity, unknownUsers});
    }

    // Written once every segment is known to be drawable: a refused segment leaves nothing written.
    writeQuarantine(split, tableVersions);
    List<String> ids = perSegment.values().stream().map(v -> (String) v[0]).collect(Collectors.toList());
    String replaceWhere = "snapshot_id IN (" + ids.stream().map(id -> "'" + id + "'").collect(Collectors.joining(", ")) + ")";
    Map<String, Map<String, ContentHash.GroupHash>> hashes = new LinkedHashMap<>();
    Dataset<Row> writtenEvents = writeEntityTable(SnapshotTables.EVENTS, union(outputs.get(SnapshotTables.EVENTS)), replaceWhere, ids, tableVersions, hashes);
    writeEntityTable(SnapshotTables.USERS, union(outputs.get(SnapshotTables.USERS)), replaceWhere, ids, tableVersions, hashes);
    // Items come from the events as written (already pseudonymized, so keys match a pseudonymized
    // catalog too): one join for all segments instead of recomputing each segment's closure.
    Dataset<Row> catalog = privatize(items);
    Dataset<Row> referenced = writtenEvents.select("snapshot_id", "segment", "item_id").distinct();
    writeEntityTable(SnapshotTables.ITEMS, referenced.join(catalog, "item_id")
        .select(tagColumns(col("snapshot_id"), col("segment"), catalog.columns())), replaceWhere, ids, tableVersions, hashes);
    Map<String, Long> dangling = new LinkedHashMap<>();
    for (Row r : EntityClosure.danglingItems(catalog, referenced).groupBy("snapshot_id").count().collectAsList()) {
      dangling.put(r.getString(0), r.getLong(1));
    }
    String fidelityPath = SnapshotTables.path(manifest.warehouse(), SnapshotTables.FIDELITY);
    CommitInfo fidelityCommit = store.write(spark.createDataFrame(fidelityRows, FIDELITY_SCHEMA), fidelityPath, replaceWhere, List.of(), runId);
    tableVersions.put(SnapshotTables.FIDELITY, fidelityCommit.version());
    cached.forEach(Dataset::unpersist);

    List<SegmentSnapshot> segments = new ArrayList<>();
    for (Map.Entry<String, Object[]> e : perSegment.entrySet()) {
      String id = (String) e.getValue()[0];
      Map<String, String> tableHashes = new LinkedHashMap<>();
      hashes.forEach((table, byId) -> tableHashes.put(table, byId.containsKey(id) ? byId.get(id).hash() : ContentHash.sha256Hex("empty")));
      @SuppressWarnings("unchecked")
      List<FidelitySummary.Metric> fidelity = (List<FidelitySummary.Metric>) e.getValue()[3];
      segments.add(new SegmentSnapshot(e.getKey(), id, (Long) e.getValue()[1], (Long) e.getValue()[2],
          rows(hashes, SnapshotTables.EVENTS, id), rows(hashes, SnapshotTables.ITEMS, id), dangling.getOrDefault(id, 0L),
          (Long) e.getValue()[4], tableHashes, fidelity));
    }
    List<Row> indexRows = new ArrayList<>();
    for (int i = 0; i < manifest.segments().size(); i++) {
      SegmentSpec spec = manifest.segments().get(i);
      SegmentSnapshot s = segments.get(i);
      indexRows.add(RowFactory.create(s.snapshotId(), manifest.name(), s.segment(),
          Date.valueOf(spec.windowStart()), Date.valueOf(spec.windowEnd()), s.sampledUsers(), s.events(),
          s.items(), s.contentHashes().get(SnapshotTables.EVENTS), s.contentHashes().get(SnapshotTables.USERS),
          s.contentHashes().get(SnapshotTables.ITEMS), tableVersions.get(SnapshotTables.EVENTS), runId));
    }
    CommitInfo indexCommit = store.write(spark.createDataFrame(indexRows, SnapshotIndex.SCHEMA),
        SnapshotTables.path(manifest.warehouse(), SnapshotTables.INDEX), replaceWhere, List.of(), runId);
    tableVersions.put(SnapshotTables.INDEX, indexCommit.version());
    return new SnapshotResult(runId, manifest.sha256(), inputVersions, segments, tableVersions, split.counts(),
        tableVersions.containsKey(SnapshotTables.QUARANTINE)
            ? SnapshotTables.path(manifest.warehouse(), SnapshotTables.QUARANTINE) : null,
        (System.nanoTime() - started) / 1e9);
  }

  static final StructType FIDELITY_SCHEMA = new StructType()
      .add("snapshot_id", DataTypes.StringType, false)
      .add("segment", DataTypes.StringType, false)
      .add("metric", DataTypes.StringType, false)
      .add("population", DataTypes.DoubleType, false)
      .add("sample", DataTypes.DoubleType, false)
      .add("run_id", DataTypes.StringType, false);

  private static long rows(Map<String, Map<String, ContentHash.GroupHash>> hashes, String table, String id) {
    ContentHash.GroupHash h = hashes.get(table).get(id);
    return h == null ? 0 : h.rows();
  }

  private Dataset<Row> privatize(Dataset<Row> table) {
    return Pseudonymizer.apply(table, manifest.privacy(), salt);
  }

  /** A segment without users would give a testbed that tests nothing: refused, before anything is written. */
  private void refuseEmpty(SegmentSpec segment, int index, long eligibleUsers, long sampledUsers) {
    String problem = "Cannot snapshot segment '" + segment.name() + "' of manifest " + manifest.file();
    if (eligibleUsers == 0) {
      throw RehearsalException.invalidInput(problem, "no user of the lake is eligible: none passes segments[" + index
          + "].filter '" + segment.effectiveFilter() + "' with at least " + segment.minEventsPerUser()
          + " event(s) in its window " + segment.windowStart() + " … " + segment.windowEnd() + " (end exclusive)",
          "check the filter's values and the window against the lake (bin/rehearsal validate checks the filter's "
              + "columns), or remove the segment");
    }
    if (sampledUsers == 0) {
      throw RehearsalException.invalidInput(problem, "its sampling drew none of the " + eligibleUsers
          + " eligible users", "raise segments[" + index + "].sampling's rate or size");
    }
  }

  /**
   * Sets aside the events a testbed cannot use (EventQuarantine), pseudonymized like the snapshots, in one commit
   * replacing this manifest's earlier rows; written when there is something to set aside or an earlier run left rows.
   */
  private void writeQuarantine(EventQuarantine.Split split, Map<String, Long> tableVersions) {
    String path = SnapshotTables.path(manifest.warehouse(), SnapshotTables.QUARANTINE);
    if (split.total() == 0 && !store.exists(path)) {
      return;
    }
    Dataset<Row> rows = privatize(split.quarantined());
    List<Column> columns = new ArrayList<>(List.of(lit(manifest.name()).as("manifest"), col(EventQuarantine.REASON)));
    for (String c : rows.columns()) {
      if (!c.equals(EventQuarantine.REASON)) {
        columns.add(col("`" + c + "`"));
      }
    }
    CommitInfo commit = store.write(rows.select(columns.toArray(Column[]::new)), path,
        "manifest = '" + manifest.name().replace("'", "''") + "'", List.of(), runId);
    tableVersions.put(SnapshotTables.QUARANTINE, commit.version());
    if (split.total() > 0) {
      progress.step("quarantined %s events (%s): %s", Progress.count(split.total()), path,
          split.counts().entrySet().stream().filter(e -> e.getValue() > 0)
              .map(e -> Progress.count(e.getValue()) + " " + e.getKey()).collect(Collectors.joining(", ")));
    }
  }

  /** Writes one snapshot table in one commit; returns the rows as written (this manifest's ids). */
  private Dataset<Row> writeEntityTable(String table, Dataset<Row> rows, String replaceWhere, List<String> ids,
      Map<String, Long> tableVersions, Map<String, Map<String, ContentHash.GroupHash>> hashes) {
    String path = SnapshotTables.path(manifest.warehouse(), table);
    CommitInfo commit = store.write(rows, path, replaceWhere, List.of("snapshot_id"), runId);
    tableVersions.put(table, commit.version());
    Dataset<Row> written = store.read(TableSource.delta(table, path).atVersion(commit.version()))
        .where(col("snapshot_id").isin(ids.toArray()));
    hashes.put(table, ContentHash.perGroup(written, "snapshot_id"));
    progress.step("wrote %s (Delta v%d): %s rows", path, commit.version(),
        Progress.count(hashes.get(table).values().stream().mapToLong(ContentHash.GroupHash::rows).sum()));
    return written;
  }

  private static Dataset<Row> union(List<Dataset<Row>> parts) {
    return parts.stream().reduce(Dataset::unionByName).orElseThrow();
  }

  private static Dataset<Row> tag(Dataset<Row> table, String snapshotId, String segment) {
    return table.select(tagColumns(lit(snapshotId), lit(segment), table.columns()));
  }

  private static Column[] tagColumns(Column snapshotId, Column segment, String[] columns) {
    List<Column> cols = new ArrayList<>();
    cols.add(snapshotId.as("snapshot_id"));
    cols.add(segment.as("segment"));
    for (String c : columns) {
      cols.add(col("`" + c + "`"));
    }
    return cols.toArray(new Column[0]);
  }

  /**
   * {@code <segment>-<12 hex>}: a hash of the segment's declaration, the privacy rules, the salt's
   * fingerprint (not the salt) and the inputs as declared (path as written, format, pinned version) — so the same manifest on the same input versions
   * always yields the same id, and any change to those yields a new one.
   */
  String snapshotId(int segmentIndex, Map<String, TableSource> pinned) {
    ObjectMapper canonical = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    JsonNode segmentNode = manifest.content().get("segments").get(segmentIndex);
    StringBuilder sb = new StringBuilder(FORMAT_VERSION);
    try {
      sb.append('|').append(canonical.writeValueAsString(canonical.convertValue(segmentNode, Map.class)));
      sb.append('|').append(canonical.writeValueAsString(canonical.convertValue(manifest.content().path("privacy"), Object.class)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    sb.append("|salt:").append(manifest.privacy().pseudonymize().isEmpty() ? "none" : ContentHash.sha256Hex("rehearsal-salt:" + salt).substring(0, 16));
    // Inputs enter as declared in the manifest (not where --lake resolved them), so the same data at
    // the same versions gives the same id on any machine or checkout; the content hash proves the data.
    new TreeMap<>(pinned).values().forEach(s -> sb.append('|').append(s.name()).append('@')
        .append(manifest.content().get("inputs").get(s.name()).get("path").asText())
        .append('#').append(s.format()).append(':').append(s.version()));
    return manifest.segments().get(segmentIndex).name() + "-" + ContentHash.sha256Hex(sb.toString()).substring(0, 12);
  }
}
