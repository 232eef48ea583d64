package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.rehearsal.pipelines.features.BackfillJob;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.jobs.Job;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.FeatureSetLoader;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.spark.RehearsalSpark;
import io.rehearsal.transforms.RehearsalException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;

/**
 * Re-materializes a recorded run's snapshots and features from its record alone — the manifest content,
 * the pinned input versions and the feature set it registered — in a scratch folder, and compares every
 * content hash with the recorded one. Fails clearly when a pinned input version can no longer be read, and
 * refuses a record made under another content-hash scheme ({@link OutputTables#HASH_SCHEME}) instead of reporting
 * differences that are only the scheme's.
 */
public final class ReproduceJob extends Job<ReproduceJob> {

  /** One recorded table compared with its re-materialized copy. */
  public record TableCheck(String table, String recordedHash, String reproducedHash, long recordedRows, long reproducedRows) {
    public boolean matches() {
      return recordedHash.equals(reproducedHash);
    }
  }

  /** The comparison: every snapshot and feature table of the record, and whether all hashes match. */
  public record ReproduceResult(String runId, List<TableCheck> tables) {
    public ReproduceResult {
      tables = List.copyOf(tables);
    }

    public boolean reproduced() {
      return !tables.isEmpty() && tables.stream().allMatch(TableCheck::matches);
    }
  }

  private String warehouse;
  private String salt;

  public ReproduceJob warehouse(String warehouse) {
    this.warehouse = warehouse;
    return this;
  }

  public ReproduceJob salt(String salt) {
    this.salt = salt;
    return this;
  }

  public ReproduceResult execute() {
    List<LedgerEntry> entries = new RunRecords(new Ledger(spark, warehouse)).entries(runId);
    JsonNode plan = RunRecords.latest(entries, LedgerEntry.PLAN);
    JsonNode result = RunRecords.latest(entries, LedgerEntry.RESULT);
    if (result == null || !RunJob.STATUS_COMPLETED.equals(result.path("status").asText())) {
      throw RehearsalException.invalidInput("Cannot reproduce run " + runId, "it has no completed result in the ledger",
          "reproduce a run that completed (rehearsal show " + runId + " tells how it ended)");
    }
    int scheme = result.path("hash_scheme").asInt(OutputTables.HASH_SCHEME_UNSTATED);
    if (scheme != OutputTables.HASH_SCHEME) {
      throw RehearsalException.invalidInput("Cannot compare the content hashes of run " + runId,
          "its record hashed the tables under content-hash scheme " + scheme
              + (result.has("hash_scheme") ? "" : " (it states none: recorded before schemes were stated)")
              + " and this Rehearsal hashes under scheme " + OutputTables.HASH_SCHEME
              + ", so equal tables could show as different",
          "reproduce it with the Rehearsal that made it (code commit "
              + (plan == null ? "unknown" : plan.path("code").path("commit").asText("unknown"))
              + " in its plan), or run its manifest again for a record under scheme " + OutputTables.HASH_SCHEME);
    }
    if (salt == null) {
      throw RehearsalException.invalidInput("Cannot reproduce run " + runId, "no pseudonymization salt was given",
          "set REHEARSAL_PSEUDONYM_SALT or REHEARSAL_PSEUDONYM_SALT_FILE, or pass --salt-file: the salt the run used");
    }
    Map<String, TableSource> pinned = pinnedInputs(plan);
    checkReadable(pinned);
    RunWorkspace workspace = new RunWorkspace(new RunFiles(spark), warehouse, runId);
    String scratch = workspace.scratch() + "/reproduce";
    Manifest manifest = new ManifestLoader().lakeOverride(plan.path("lake").asText()).warehouseOverride(scratch)
        .load(Path.of(plan.path("manifest").path("file").asText()),
            plan.path("manifest").path("content").asText().getBytes(StandardCharsets.UTF_8));
    Map<String, TableSource> inputs = new LinkedHashMap<>();
    manifest.inputs().forEach((name, s) -> inputs.put(name, pinned.getOrDefault(name, s)));
    manifest = manifest.inWorkspace(scratch, inputs);
    new RunFiles(spark).deleteRecursively(scratch);
    try {
      Manifest m = manifest;
      RehearsalSpark.inJobGroup(spark, "rehearsal-reproduce", "reproduce " + runId, () -> {
        new SnapshotJob().spark(spark).store(store).manifest(m).salt(salt).runId(runId).progress(progress).execute();
        if (m.hasFeatures()) {
          FeatureSet set = new FeatureSetLoader().forManifest(m);
          String planned = plan.path("feature_set").path("id").asText();
          if (!set.id().equals(planned)) {
            throw RehearsalException.invalidInput("Cannot reproduce the features of run " + runId,
                "its feature set " + set.source() + " now has id " + set.id() + ", the run registered " + planned,
                "restore the feature set file as it was at commit " + plan.path("code").path("commit").asText());
          }
          new BackfillJob().spark(spark).store(store).manifest(m).featureSet(set).runId(runId).progress(progress)
              .execute();
        }
        return null;
      });
      Map<String, OutputTables.Output> reproduced = new LinkedHashMap<>();
      OutputTables.of(spark, store, scratch).forEach(o -> reproduced.put(o.table(), o));
      List<TableCheck> checks = new ArrayList<>();
      for (JsonNode o : result.path("outputs")) {
        String table = o.path("table").asText();
        if (!table.startsWith("snapshots/") || table.equals("snapshots/index")) {
          if (!table.startsWith("features/") || table.equals("features/parity")) {
            continue;
          }
        }
        OutputTables.Output copy = reproduced.get(table);
        checks.add(new TableCheck(table, o.path("content_hash").asText(), copy == null ? "(not produced)" : copy.contentHash(),
            o.path("rows").asLong(), copy == null ? 0 : copy.rows()));
      }
      return new ReproduceResult(runId, checks);
    } finally {
      new RunFiles(spark).deleteRecursively(scratch);
    }
  }

  private static Map<String, TableSource> pinnedInputs(JsonNode plan) {
    Map<String, TableSource> pinned = new LinkedHashMap<>();
    for (JsonNode in : plan.path("inputs")) {
      Long version = in.hasNonNull("version") ? in.get("version").asLong() : null;
      pinned.put(in.path("name").asText(), new TableSource(in.path("name").asText(), in.path("path").asText(),
          in.path("format").asText("delta"), version, Map.of()));
    }
    return pinned;
  }

  /** Every pinned Delta version must still be in the log and every data file it references must still exist. */
  private void checkReadable(Map<String, TableSource> pinned) {
    for (TableSource s : pinned.values()) {
      if (!s.isDelta() || s.version() == null) {
        continue;
      }
      List<String> files;
      try {
        files = store.dataFiles(s);
      } catch (RuntimeException e) {
        throw RehearsalException.runtime("Cannot reproduce run " + runId + ": input '" + s.name() + "' at " + s.path()
                + " version " + s.version() + " is no longer readable",
            RehearsalException.firstLine(e.getMessage(), "no message"),
            "the version's log was cleaned up or the table was replaced; restore it from a backup — the run cannot be "
                + "reproduced otherwise", e);
      }
      List<String> missing = new ArrayList<>();
      try {
        for (String f : files) {
          org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(f);
          FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
          if (!fs.exists(p)) {
            missing.add(p.getName());
          }
        }
      } catch (IOException e) {
        throw RehearsalException.runtime("Cannot check input '" + s.name() + "' at " + s.path(), e.toString(),
            "check that the lake is reachable", e);
      }
      if (!missing.isEmpty()) {
        throw RehearsalException.runtime("Cannot reproduce run " + runId + ": input '" + s.name() + "' at " + s.path()
                + " version " + s.version() + " is no longer readable",
            missing.size() + " of its " + files.size() + " data files are gone (e.g. " + missing.get(0)
                + ") — removed by VACUUM after a newer version replaced them",
            "restore those files (or the table) from a backup; to keep runs reproducible, keep "
                + "delta.deletedFileRetentionDuration longer than the time you need to reproduce runs", null);
      }
    }
  }
}
