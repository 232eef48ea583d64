package io.rehearsal.pipelines.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.delta.tables.DeltaTable;
import io.rehearsal.transforms.RehearsalException;
import org.apache.commons.lang3.exception.ExceptionUtils;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/** {@link TableStore} over Delta Lake (reads CSV and Parquet too), local paths or s3a://. */
public final class DeltaTableStore implements TableStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final SparkSession spark;

  public DeltaTableStore(SparkSession spark) {
    this.spark = spark;
  }

  @Override
  public boolean exists(String path) {
    return DeltaTable.isDeltaTable(spark, path);
  }

  @Override
  public boolean pathExists(String path) {
    Path p = new Path(path);
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot look up " + path, rootCause(e),
          "check that the storage is reachable (network, credentials, permissions)", e);
    }
  }

  @Override
  public TableSource pin(TableSource source) {
    if (!source.isDelta()) {
      return source;
    }
    boolean exists;
    long latest;
    try {
      exists = exists(source.path());
      latest = exists ? latestVersion(source.path()) : -1;
    } catch (Exception e) {
      // Spark's exceptions are checked ones thrown from Scala: catch them all.
      if (damagedLog(e)) {
        throw damaged(source, e);
      }
      throw RehearsalException.runtime("Cannot read input '" + source.name() + "'", rootCause(e),
          "check that the table at " + source.path() + " is reachable (network, credentials, permissions)", e);
    }
    if (!exists) {
      throw RehearsalException.invalidInput(
          "Cannot read input '" + source.name() + "'",
          "no Delta table at " + source.path(),
          "create it (bin/rehearsal generate --out DIR, or bin/rehearsal import) or correct the path in the manifest");
    }
    if (source.version() == null) {
      return source.atVersion(latest);
    }
    if (source.version() < 0 || source.version() > latest) {
      throw RehearsalException.invalidInput(
          "Cannot read input '" + source.name() + "' at version " + source.version(),
          "the table at " + source.path() + " has versions 0 to " + latest,
          "pin a version that exists, or remove 'version' to read the latest");
    }
    return source;
  }

  /**
   * Why a pinned Delta version could not be read: its transaction log is damaged — the table must be restored — or
   * the version is gone (VACUUM, log cleanup).
   */
  private static RehearsalException unreadable(TableSource source, Exception e) {
    if (damagedLog(e)) {
      return damaged(source, e);
    }
    return RehearsalException.runtime("Cannot read input '" + source.name() + "' at pinned version " + source.version(),
        rootCause(e), "the version may have been removed by VACUUM or log cleanup; pin a version that is still readable", e);
  }

  /**
   * A commit file that is not JSON, fails its checksum, or leaves the table without a protocol: damage, not an
   * outage (an unreachable or forbidden log is a runtime failure that a retry may clear).
   */
  private static boolean damagedLog(Exception e) {
    return ExceptionUtils.getThrowableList(e).stream().anyMatch(t ->
        t instanceof com.fasterxml.jackson.core.JsonProcessingException || t instanceof org.apache.hadoop.fs.ChecksumException
            || String.valueOf(t.getMessage()).contains("DELTA_STATE_RECOVER_ERROR"));
  }

  private static RehearsalException damaged(TableSource source, Exception e) {
    return RehearsalException.invalidInput("Cannot read input '" + source.name() + "'",
        "the Delta transaction log at " + source.path() + "/_delta_log is damaged: " + rootCause(e),
        "restore the table's _delta_log from a backup or write the table again (bin/rehearsal generate, bin/rehearsal "
            + "import); its data files alone do not say which rows belong to a version", e);
  }

  @Override
  public java.util.Optional<String> cannotWriteUnder(String folder) {
    Path existing = new Path(folder);
    try {
      FileSystem fs = existing.getFileSystem(spark.sparkContext().hadoopConfiguration());
      existing = fs.makeQualified(existing);
      boolean local = "file".equals(existing.toUri().getScheme());
      // An object store has no folders to create: the probe goes to the warehouse's own prefix, where the runs will
      // write (a user may be allowed there and not at the bucket's root). On a file system, the nearest existing folder.
      while (local && existing.getParent() != null && !fs.exists(existing)) {
        existing = existing.getParent();
      }
      if (!local) {
        Path probe = new Path(existing, ".rehearsal-write-check-" + java.util.UUID.randomUUID());
        fs.create(probe, false).close();
        fs.delete(probe, false);
        return java.util.Optional.empty();
      }
      if (!fs.getFileStatus(existing).isDirectory()) {
        return java.util.Optional.of(shown(existing) + " is a file, not a folder");
      }
      Path probe = new Path(existing, ".rehearsal-write-check-" + java.util.UUID.randomUUID());
      fs.create(probe, false).close();
      fs.delete(probe, false);
      return java.util.Optional.empty();
    } catch (IOException | RuntimeException e) {
      return java.util.Optional.of("cannot write in " + shown(existing) + ": " + rootCause(e));
    }
  }

  /** A local path as the user wrote it, without Hadoop's "file:" scheme. */
  private static String shown(Path path) {
    return "file".equals(path.toUri().getScheme()) ? path.toUri().getPath() : path.toString();
  }

  private static String rootCause(Exception e) {
    return RehearsalException.firstLine(String.valueOf(ExceptionUtils.getRootCause(e)), "unknown");
  }

  @Override
  public Instant committedAt(TableSource pinned) {
    if (!pinned.isDelta() || pinned.version() == null) {
      return null;
    }
    Path commit = new Path(pinned.path() + "/_delta_log/" + String.format(Locale.ROOT, "%020d.json", pinned.version()));
    try {
      FileSystem fs = commit.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (!fs.exists(commit)) {
        return null;
      }
      try (BufferedReader lines = new BufferedReader(new InputStreamReader(fs.open(commit), StandardCharsets.UTF_8))) {
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
          JsonNode info = JSON.readTree(line).path("commitInfo");
          if (!info.isMissingNode()) {
            JsonNode at = info.has("inCommitTimestamp") ? info.get("inCommitTimestamp") : info.get("timestamp");
            return at == null || !at.canConvertToLong() ? null : Instant.ofEpochMilli(at.asLong());
          }
        }
      }
      return null;
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot read the commit of input '" + pinned.name() + "' version "
          + pinned.version(), e.toString(), "check that the table at " + pinned.path() + " is readable", e);
    }
  }

  @Override
  public Dataset<Row> read(TableSource source) {
    DataFrameReader reader = spark.read().format(source.format()).options(source.options());
    if (source.isDelta()) {
      if (source.version() == null) {
        throw new IllegalStateException("Delta source '" + source.name() + "' must be pinned before it is read");
      }
      try {
        return reader.option("versionAsOf", source.version()).load(source.path());
      } catch (Exception e) {
        // Spark's exceptions are checked ones thrown from Scala: catch them all.
        throw unreadable(source, e);
      }
    }
    try {
      return reader.load(source.path());
    } catch (Exception e) {
      // Spark's exceptions are checked ones thrown from Scala: catch them all.
      if (!pathExists(source.path())) {
        throw RehearsalException.invalidInput("Cannot read input '" + source.name() + "'",
            "nothing at " + source.path() + " (format " + source.format() + ")",
            "correct the path in the manifest, or write the " + source.format() + " files there", e);
      }
      // The storage answered (pathExists): what is there is not readable as the format said.
      throw RehearsalException.invalidInput("Cannot read input '" + source.name() + "' as " + source.format(),
          source.path() + ": " + rootCause(e), "check that the path holds " + source.format()
              + " files, or declare the format they have", e);
    }
  }

  @Override
  public List<String> dataFiles(TableSource pinned) {
    if (!pinned.isDelta() || pinned.version() == null) {
      throw new IllegalStateException("Source '" + pinned.name() + "' must be a pinned Delta table to list its files");
    }
    return List.of(spark.read().format("delta").option("versionAsOf", pinned.version()).load(pinned.path())
        .inputFiles());
  }

  @Override
  public CommitInfo overwrite(List<Row> rows, StructType schema, String path, String runId) {
    return write(spark.createDataFrame(rows, schema).coalesce(1), path, null, List.of(), runId);
  }

  @Override
  public CommitInfo write(Dataset<Row> rows, String path, String replaceWhere, List<String> partitionBy, String runId) {
    boolean tableExists = exists(path);
    DataFrameWriter<Row> writer = rows.write().format("delta").mode("overwrite").option("userMetadata", runId);
    if (replaceWhere != null && tableExists) {
      writer = writer.option("replaceWhere", replaceWhere);
    } else if (tableExists) {
      // A whole-table overwrite may change the schema (e.g. a feature set with other columns).
      writer = writer.option("overwriteSchema", "true");
    }
    if (!tableExists && partitionBy != null && !partitionBy.isEmpty()) {
      writer = writer.partitionBy(partitionBy.toArray(new String[0]));
    }
    writer.save(path);
    return new CommitInfo(path, latestVersion(path));
  }

  /**
   * The table's newest version, from its log listing (and checksum file): no Spark job, unlike reading the
   * history, which a run did once per input and per table written.
   */
  private long latestVersion(String path) {
    return DeltaLog.forTable(spark, path).update(false, Option.empty(), Option.empty()).version();
  }
}
