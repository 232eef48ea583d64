package io.rehearsal.pipelines.testing;

import static org.junit.Assert.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Chromium, headless, with a fresh profile, offline-safe flags and a timeout: what the report tests
 * look at pages with. bin/test installs it (bin/install-chromium); without it the tests fail, never skip.
 */
public final class HeadlessChromium {

  public static final Path BINARY = Path.of(System.getProperty("rehearsal.chromium", "/usr/bin/chromium"));
  private static final int TIMEOUT_SECONDS = 60;

  /** What one Chromium invocation printed. */
  public record Run(int exitCode, String stdout, String stderr) {}

  private HeadlessChromium() {}

  public static void requireInstalled() {
    if (!Files.isExecutable(BINARY)) {
      fail(BINARY + " is missing: the report browser tests need headless Chromium. Run bin/test (it installs "
          + "Chromium through bin/install-chromium) or install it yourself: apt-get install -y chromium");
    }
  }

  /** The DOM the browser built from a local page (no network). */
  public static String dumpDom(Path page, Path scratch) throws IOException, InterruptedException {
    return run(scratch, "--dump-dom", page.toUri().toString()).stdout();
  }

  /** Runs Chromium with these arguments; fails the test on a timeout or a non-zero exit. */
  public static Run run(Path scratch, String... args) throws IOException, InterruptedException {
    requireInstalled();
    Path profile = Files.createTempDirectory(scratch, "chromium-profile");
    List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--headless=new", "--no-sandbox",
        "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
        "--disable-extensions", "--disable-background-networking", "--disable-sync", "--mute-audio",
        "--user-data-dir=" + profile));
    command.addAll(List.of(args));
    File out = Files.createTempFile(scratch, "chromium", ".out").toFile();
    File err = Files.createTempFile(scratch, "chromium", ".err").toFile();
    Process p = new ProcessBuilder(command).redirectOutput(out).redirectError(err).start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("Chromium did not finish in " + TIMEOUT_SECONDS + " s: " + String.join(" ", command) + "\nstderr:\n"
          + Files.readString(err.toPath()));
    }
    Run run = new Run(p.exitValue(), Files.readString(out.toPath()), Files.readString(err.toPath()));
    if (run.exitCode() != 0) {
      fail("Chromium exited " + run.exitCode() + ": " + String.join(" ", command) + "\nstderr:\n" + run.stderr());
    }
    return run;
  }
}
