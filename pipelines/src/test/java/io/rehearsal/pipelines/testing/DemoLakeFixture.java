package io.rehearsal.pipelines.testing;

import io.rehearsal.pipelines.jobs.GenerateJob;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.spark.sql.SparkSession;

/**
 * The generated demo lake at seed 42, scale 1, built once per build and shared read-only by every test (and
 * test JVM) that needs it: {@code <repo>/pipelines/target/fixtures/lake-seed42-scale1}. A test must not write into it; one
 * that needs a changed lake copies or derives its own. Built in a sibling folder and moved into place, so a
 * crash never leaves half a lake behind.
 */
public final class DemoLakeFixture {

  private static final Path ROOT =
      Path.of(System.getProperty("rehearsal.repo.root", "..")).toAbsolutePath().normalize();
  public static final Path LAKE = ROOT.resolve("pipelines/target/fixtures/lake-seed42-scale1");

  private DemoLakeFixture() {}

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The lake's folder, generated with {@code spark} on first use. */
  public static synchronized Path seed42Scale1(SparkSession spark) {
    if (Files.isDirectory(LAKE.resolve("events/_delta_log"))) {
      return LAKE;
    }
    try {
      Files.createDirectories(LAKE.getParent());
      Path building = Files.createTempDirectory(LAKE.getParent(), "building-");
      GenerateJob.builder(spark).seed(42).scale(1).outDir(building.toString()).runId("fixture").build().execute();
      try {
        Files.move(building, LAKE, StandardCopyOption.ATOMIC_MOVE);
      } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        // Another test JVM built it at the same time: the same seed and scale give the same lake; keep theirs.
        deleteRecursively(building);
      }
      return LAKE;
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot build the shared demo lake fixture at " + LAKE, e);
    }
  }
}
