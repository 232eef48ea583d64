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

  /**
   * The tables of a page laid out by the browser at {@code width} × 900 px that are wider than the content box of the
   * element holding them, as "id: table width > room" lines (empty when every table fits). A script added to a copy
   * of the page measures after layout and writes its findings into the DOM that {@code --dump-dom} prints.
   */
  public static List<String> overflowingTables(Path page, Path scratch, int width)
      throws IOException, InterruptedException {
    String script = """
        <script>
        window.addEventListener('load', () => {
          const lines = [];
          document.querySelectorAll('table').forEach((t, i) => {
            const c = t.parentElement;
            const cs = getComputedStyle(c);
            const room = c.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
            const w = t.getBoundingClientRect().width;
            if (w > room + 0.5) lines.push((t.id || 'table ' + i) + ': ' + w.toFixed(1) + ' px > ' + room.toFixed(1) + ' px');
          });
          const out = document.createElement('pre');
          out.id = 'overflow-measured';
          out.textContent = 'tables ' + document.querySelectorAll('table').length + '\\n' + lines.join('\\n');
          document.body.appendChild(out);
        });
        </script>""";
    String html = Files.readString(page);
    Path measured = Files.createTempFile(scratch, "measured", ".html");
    Files.writeString(measured, html.replace("</body>", script + "</body>"));
    String dom = run(scratch, "--window-size=" + width + ",900", "--dump-dom", measured.toUri().toString()).stdout();
    int from = dom.indexOf("<pre id=\"overflow-measured\">");
    if (from < 0) {
      fail("the measuring script wrote nothing into the DOM of " + page);
    }
    String text = dom.substring(from + "<pre id=\"overflow-measured\">".length(), dom.indexOf("</pre>", from))
        .replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&");
    List<String> lines = text.lines().toList();
    if (!lines.get(0).startsWith("tables ") || lines.get(0).equals("tables 0")) {
      fail("no tables measured in " + page + ": " + lines.get(0));
    }
    return lines.subList(1, lines.size()).stream().filter(l -> !l.isBlank()).toList();
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
