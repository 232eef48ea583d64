package io.rehearsal.pipelines.run;

import io.rehearsal.transforms.RehearsalException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/** Small text files of a run (state, record, report) through Hadoop's FileSystem: local paths or s3a://. */
public final class RunFiles {

  private final SparkSession spark;

  public RunFiles(SparkSession spark) {
    this.spark = spark;
  }

  private FileSystem fs(Path path) throws IOException {
    FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
    // Hadoop's local file system keeps a .crc beside each file and refuses to read one edited by hand; a record
    // file edited by hand must reach verify-ledger (which names the edit), so read and write it raw.
    return fs instanceof ChecksumFileSystem checksummed ? checksummed.getRawFileSystem() : fs;
  }

  public boolean exists(String file) {
    try {
      Path p = new Path(file);
      return fs(p).exists(p);
    } catch (IOException e) {
      throw failure("check whether " + file + " exists", e);
    }
  }

  public String read(String file) {
    try {
      Path p = new Path(file);
      try (InputStream in = fs(p).open(p)) {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw failure("read " + file, e);
    }
  }

  /** Writes the whole file: to a temporary name first, then renamed, so a reader never sees half of it. */
  public void write(String file, String text) {
    try {
      Path target = new Path(file);
      FileSystem fs = fs(target);
      Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("rename of " + tmp + " to " + target + " failed");
      }
    } catch (IOException e) {
      throw failure("write " + file, e);
    }
  }

  /**
   * Creates the file with this text only if it does not exist yet; false when it did. Atomic on local disks (the
   * operating system's exclusive create) and HDFS; on S3 two creators within the same moment may both succeed.
   */
  public boolean createExclusive(String file, String text) {
    try {
      Path target = new Path(file);
      FileSystem fs = fs(target);
      if ("file".equals(fs.getUri().getScheme())) {
        java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(target).toUri());
        Files.createDirectories(local.getParent());
        try {
          Files.writeString(local, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW,
              StandardOpenOption.WRITE);
          return true;
        } catch (java.nio.file.FileAlreadyExistsException held) {
          return false;
        }
      }
      try (OutputStream out = fs.create(target, false)) {
        out.write(text.getBytes(StandardCharsets.UTF_8));
        return true;
      } catch (org.apache.hadoop.fs.FileAlreadyExistsException held) {
        return false;
      }
    } catch (IOException e) {
      throw failure("create " + file, e);
    }
  }

  /**
   * Marks the file as modified now: its modification time on local disks and HDFS; on S3, whose objects keep the time
   * they were written, by writing it again (an S3 PUT replaces an object whole).
   */
  public void touch(String file) {
    try {
      Path p = new Path(file);
      FileSystem fs = fs(p);
      // Not fs.getScheme(): the raw local file system used here does not implement it (it throws).
      String scheme = fs.getUri().getScheme();
      if (scheme != null && scheme.startsWith("s3")) {
        byte[] content;
        try (InputStream in = fs.open(p)) {
          content = in.readAllBytes();
        }
        try (OutputStream out = fs.create(p, true)) {
          out.write(content);
        }
      } else {
        fs.setTimes(p, System.currentTimeMillis(), -1);
      }
    } catch (IOException e) {
      throw failure("touch " + file, e);
    }
  }

  /** Renames a file; false when the source is gone or the target exists. */
  public boolean rename(String from, String to) {
    try {
      Path source = new Path(from);
      Path target = new Path(to);
      FileSystem fs = fs(source);
      return !fs.exists(target) && fs.rename(source, target);
    } catch (FileNotFoundException gone) {
      return false;
    } catch (IOException e) {
      throw failure("rename " + from + " to " + to, e);
    }
  }

  /** The file's last modification time in epoch milliseconds, or -1 when it does not exist. */
  public long modifiedAt(String file) {
    try {
      Path p = new Path(file);
      return fs(p).getFileStatus(p).getModificationTime();
    } catch (FileNotFoundException absent) {
      return -1;
    } catch (IOException e) {
      throw failure("read the status of " + file, e);
    }
  }

  /** Sets the file's modification time (tests make a lock look abandoned with it). */
  void setModifiedAt(String file, long epochMillis) {
    try {
      Path p = new Path(file);
      fs(p).setTimes(p, epochMillis, -1);
    } catch (IOException e) {
      throw failure("set the time of " + file, e);
    }
  }

  /** Creates the folder and its parents (nothing when it exists). */
  public void mkdirs(String folder) {
    try {
      Path p = new Path(folder);
      if (!fs(p).mkdirs(p)) {
        throw new IOException("mkdirs returned false");
      }
    } catch (IOException e) {
      throw failure("create folder " + folder, e);
    }
  }

  /** Deletes one file; false when it was not there. */
  public boolean delete(String file) {
    try {
      Path p = new Path(file);
      return fs(p).delete(p, false);
    } catch (IOException e) {
      throw failure("delete " + file, e);
    }
  }

  /** The names of the files directly in a folder (none when it does not exist). */
  public List<String> list(String folder) {
    try {
      Path p = new Path(folder);
      FileSystem fs = fs(p);
      List<String> names = new ArrayList<>();
      if (fs.exists(p)) {
        for (FileStatus s : fs.listStatus(p)) {
          names.add(s.getPath().getName());
        }
      }
      names.sort(null);
      return names;
    } catch (IOException e) {
      throw failure("list " + folder, e);
    }
  }

  public void deleteRecursively(String folder) {
    try {
      Path p = new Path(folder);
      FileSystem fs = fs(p);
      if (fs.exists(p)) {
        fs.delete(p, true);
      }
    } catch (IOException e) {
      throw failure("delete " + folder, e);
    }
  }

  private static RehearsalException failure(String what, IOException e) {
    return RehearsalException.runtime("Cannot " + what, e.toString(),
        "check that the warehouse is reachable and writable (permissions, credentials, free space)", e);
  }
}
