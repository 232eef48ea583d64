package io.rehearsal.pipelines.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.rehearsal.pipelines.testing.DemoLakeFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import org.junit.rules.TemporaryFolder;

/** Runs bin/rehearsal as a user would (a real spark-submit on the packaged jar), for the end-to-end tests. */
final class Launcher {

  static final Path ROOT = Path.of(System.getProperty("rehearsal.repo.root", "..")).toAbsolutePath().normalize();

  private Launcher() {}

  static Outcome run(TemporaryFolder temp, Map<String, String> env, String... args) throws IOException, InterruptedException {
    return start(temp, env, args).await(15);
  }

  /** Starts bin/rehearsal and returns at once: its output goes to files the caller can watch. */
  static Running start(TemporaryFolder temp, Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ROOT.resolve("bin/rehearsal").toString());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
    pb.environment().remove("REHEARSAL_PSEUDONYM_SALT");
    pb.environment().remove("REHEARSAL_PSEUDONYM_SALT_FILE");
    pb.environment().remove("SPARK_HOME");
    pb.environment().put("REHEARSAL_JAR", ROOT.resolve("pipelines/target/rehearsal-app.jar").toString());
    pb.environment().putAll(env);
    File out = temp.newFile();
    File err = temp.newFile();
    pb.redirectOutput(out).redirectError(err);
    return new Running(pb.start(), out.toPath(), err.toPath(), String.join(" ", args));
  }

  /** A bin/rehearsal process (bash, spark-submit and the driver JVM below it) and the files of its output. */
  record Running(Process process, Path out, Path err, String args) {

    String stdout() throws IOException {
      return Files.readString(out);
    }

    Outcome await(int minutes) throws IOException, InterruptedException {
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        kill();
        throw new AssertionError("bin/rehearsal " + args + " did not finish in " + minutes + " minutes");
      }
      return new Outcome(process.exitValue(), stdout(), Files.readString(err));
    }

    /** Waits until the standard output holds {@code text}; fails if the process ends first or time runs out. */
    void awaitOutput(String text, int minutes) throws IOException, InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
      while (!stdout().contains(text)) {
        if (!process.isAlive() && !stdout().contains(text)) {
          throw new AssertionError("bin/rehearsal " + args + " ended (exit " + process.exitValue() + ") before printing '"
              + text + "':\n" + stdout() + Files.readString(err));
        }
        if (System.nanoTime() > deadline) {
          kill();
          throw new AssertionError("no '" + text + "' from bin/rehearsal " + args + " in " + minutes + " minutes:\n" + stdout());
        }
        Thread.sleep(20);
      }
    }

    /** SIGKILL to every process of the command at once, as the kernel's out-of-memory killer or `kill -9` would. */
    void kill() throws InterruptedException {
      List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
      tree.add(process.toHandle());
      tree.forEach(ProcessHandle::destroyForcibly);
      process.waitFor();
    }

    /** Sends a signal (e.g. STOP, CONT) to every process of the command. */
    void signal(String name) throws IOException, InterruptedException {
      List<String> command = new ArrayList<>(List.of("kill", "-" + name));
      process.descendants().forEach(h -> command.add(Long.toString(h.pid())));
      command.add(Long.toString(process.pid()));
      if (new ProcessBuilder(command).inheritIO().start().waitFor() != 0) {
        throw new AssertionError("kill -" + name + " failed for " + command);
      }
    }
  }

  /**
   * What a run that bin/test started in a lane of its own left in {@code folder} ({@code stdout}, {@code stderr},
   * {@code exit-code}, the last written), waiting for it up to {@code minutes}.
   */
  static Outcome awaitLane(Path folder, int minutes) throws IOException, InterruptedException {
    Path exitCode = folder.resolve("exit-code");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(minutes);
    while (!Files.exists(exitCode) || Files.readString(exitCode).isBlank()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the run in " + folder + " did not finish in " + minutes + " minutes");
      }
      Thread.sleep(2_000);
    }
    return new Outcome(Integer.parseInt(Files.readString(exitCode).strip()), Files.readString(folder.resolve("stdout")),
        Files.readString(folder.resolve("stderr")));
  }

  /**
   * The seed-42 scale-1 demo lake that the unit tests share ({@link DemoLakeFixture}), generated here through
   * bin/rehearsal when no unit test made it yet (e.g. {@code mvn verify -DskipTests}).
   */
  static Path scaleOneLake(TemporaryFolder temp) {
    return DemoLakeFixture.seed42Scale1(folder -> {
      Outcome generated = run(temp, Map.of(), "generate", "--seed", "42", "--scale", "1", "--out", folder.toString());
      if (generated.exitCode() != 0) {
        throw new AssertionError("generate failed:\n" + generated.stdout() + generated.stderr());
      }
    });
  }

  /** Table (relative to its run) → content hash, from a record's result entry. */
  static Map<String, String> outputHashes(Path record) throws IOException {
    JsonNode entries = new ObjectMapper().readTree(record.toFile()).path("entries");
    Map<String, String> out = new TreeMap<>();
    for (JsonNode entry : entries) {
      if ("result".equals(entry.path("kind").asText())) {
        entry.path("body").path("outputs").forEach(t -> out.put(t.path("table").asText(), t.path("content_hash").asText()));
      }
    }
    return out;
  }
}
