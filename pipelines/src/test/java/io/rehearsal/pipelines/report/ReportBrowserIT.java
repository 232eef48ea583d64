package io.rehearsal.pipelines.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import io.rehearsal.pipelines.testing.HeadlessChromium;
import org.junit.BeforeClass;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The HTML report as a real browser shows it: headless Chromium parses the written file (--dump-dom) and paints it
 * (--screenshot), with no network. bin/test installs Chromium (bin/install-chromium); without it this test fails.
 */
public class ReportBrowserIT {

  private static final int WIDTH = 1200;
  private static final int HEIGHT = 900;

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @BeforeClass
  public static void chromiumIsInstalled() {
    HeadlessChromium.requireInstalled();
  }

  @Test
  public void theBrowserShowsTheVerdictAndOneForestRowPerMetric() throws Exception {
    ObjectNode result = Fixtures.result();
    Path report = write("report.html", RunReport.html(Fixtures.plan(), result));
    HeadlessChromium.Run run = chromium("--dump-dom", report.toUri().toString());
    String dom = run.stdout();
    assertTrue("no DOM from Chromium; stderr:\n" + run.stderr(), dom.contains("</html>"));

    String banner = between(dom, "<header id=\"verdict\"", "</header>");
    assertTrue(banner, banner.contains("Verdict: FAIL"));
    assertTrue(banner, banner.contains("demo-20261130-1140-ab12cd"));

    String forest = between(dom, "<svg id=\"forest\"", "</svg>");
    assertEquals("forest-plot points the browser parsed", Fixtures.size(result, "metrics"),
        RunReportTest.count(forest, "<circle "));
    assertEquals(Fixtures.size(result, "metrics"), RunReportTest.count(forest, "<g class=\"row\">"));
    String heatmap = between(dom, "<svg id=\"drift-heatmap\"", "</svg>");
    assertEquals(Fixtures.size(result.path("drift"), "features"), RunReportTest.count(heatmap, "data-psi="));
    // the parser kept the sections in order and the tables whole
    int last = -1;
    for (String id : List.of("verdict", "gates", "forest", "interleaving", "drift-heatmap", "top-drift", "parity",
        "simulation", "steps", "provenance")) {
      int at = dom.indexOf("id=\"" + id + "\"");
      assertTrue(id + " missing or out of order in the browser's DOM", at > last);
      last = at;
    }
    String gates = between(dom, "<table id=\"gates-table\"", "</table>");
    assertEquals(Fixtures.size(result, "gates"), RunReportTest.count(gates, "<tr>") - 1);
  }

  @Test
  public void theBannerIsPaintedRedForFailAndGreenForPass() throws Exception {
    ObjectNode result = Fixtures.result();
    BufferedImage fail = screenshot("fail", RunReport.html(Fixtures.plan(), result));
    double failRed = share(fail, 0xcf222e);
    double failGreen = share(fail, 0x1a7f37);
    assertTrue(String.format(Locale.ROOT, "FAIL banner: %.1f%% of the top band is #cf222e", 100 * failRed),
        failRed > 0.6);
    assertTrue(String.format(Locale.ROOT, "FAIL banner: %.1f%% green", 100 * failGreen), failGreen < 0.01);

    result.put("verdict", "PASS");
    BufferedImage pass = screenshot("pass", RunReport.html(Fixtures.plan(), result));
    double passGreen = share(pass, 0x1a7f37);
    double passRed = share(pass, 0xcf222e);
    assertTrue(String.format(Locale.ROOT, "PASS banner: %.1f%% of the top band is #1a7f37", 100 * passGreen),
        passGreen > 0.6);
    assertTrue(String.format(Locale.ROOT, "PASS banner: %.1f%% red", 100 * passRed), passRed < 0.01);
  }

  @Test
  public void aRunThatFailedAtSnapshotIsPaintedGreyWithItsFailure() throws Exception {
    String html = RunReport.html(Fixtures.plan(), Fixtures.failedResult());
    HeadlessChromium.Run run = chromium("--dump-dom", write("failed.html", html).toUri().toString());
    String banner = between(run.stdout(), "<header id=\"verdict\"", "</header>");
    assertTrue(banner, banner.contains("Verdict: ERROR"));
    assertTrue(banner, banner.contains("Failed at step <strong>snapshot</strong>"));
    assertTrue(share(screenshot("error", html), 0x57606a) > 0.6);
  }

  /** The share of pixels in the band y ∈ [8, 60) — inside the banner, above and around its text — near {@code rgb}. */
  private static double share(BufferedImage img, int rgb) {
    int near = 0;
    int total = 0;
    for (int y = 8; y < 60; y++) {
      for (int x = 0; x < img.getWidth(); x++) {
        int p = img.getRGB(x, y);
        total++;
        if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) <= 12 && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff))
            <= 12 && Math.abs((p & 0xff) - (rgb & 0xff)) <= 12) {
          near++;
        }
      }
    }
    return (double) near / total;
  }

  private BufferedImage screenshot(String name, String html) throws Exception {
    Path page = write(name + ".html", html);
    Path png = temp.getRoot().toPath().resolve(name + ".png");
    HeadlessChromium.Run run = chromium("--screenshot=" + png, "--window-size=" + WIDTH + "," + HEIGHT, "--hide-scrollbars",
        page.toUri().toString());
    assertTrue("Chromium wrote no screenshot (exit " + run.exitCode() + "); stderr:\n" + run.stderr(),
        Files.size(png) > 0);
    BufferedImage img = ImageIO.read(png.toFile());
    assertTrue("unreadable PNG " + png, img != null);
    assertTrue("screenshot is " + img.getWidth() + "×" + img.getHeight(), img.getWidth() >= WIDTH / 2 && img.getHeight() >= 100);
    return img;
  }

  private Path write(String name, String html) throws IOException {
    Path file = temp.getRoot().toPath().resolve(name);
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }

  private HeadlessChromium.Run chromium(String... args) throws IOException, InterruptedException {
    return HeadlessChromium.run(temp.getRoot().toPath(), args);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertTrue(start + " not in:\n" + text.substring(0, Math.min(4000, text.length())), from >= 0);
    int to = text.indexOf(end, from);
    assertTrue(end + " after " + start + " missing", to >= 0);
    return text.substring(from, to + end.length());
  }
}
