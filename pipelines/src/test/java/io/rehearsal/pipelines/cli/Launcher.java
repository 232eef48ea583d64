package io.rehearsal.pipelines.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.rehearsal.pipelines.testing.DemoLakeFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.rules.TemporaryFolder;

/** Runs bin/rehearsal as a user would (a real spark-submit on the packaged jar), for the end-to-end tests. */
final class Launcher {

  static final Path ROOT = Path.of(System.getProperty("rehearsal.repo.root", "..")).toAbsolutePath().normalize();

  private Launcher() {}

  static Outcome run(TemporaryFolder temp, Map<String, String> env, String... args) throws IOException, InterruptedException {
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
    Process p = pb.start();
    if (!p.waitFor(15, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("bin/rehearsal " + String.join(" ", args) + " did not finish in 15 minutes");
    }
    return new Outcome(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
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
}
