package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.rehearsal.pipelines.testing.HeadlessChromium;
import org.junit.Assert;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The README's first command, {@code bin/rehearsal demo}, at the demo lake's default scale: one run whose output
 * serves every assertion about the demo's intended findings — the ranking regression (the candidate is better on
 * average and fails for first-time buyers), the drift suite (the promotion and the price rise are flagged; a
 * stable pair of windows is not) and the catalog simulation — and that exits 0 on its intended FAIL.
 *
 * <p>bin/test starts the demo in a lane of its own beside Maven and names its folder in {@code REHEARSAL_DEMO_RUN}
 * ({@code stdout}, {@code stderr}, {@code exit-code}, {@code lake/}, {@code warehouse/}, run id {@code
 * demo-default}), and the A/A drift run in its {@code aa/}; this class then waits for them. Without that variable it
 * runs both itself.
 */
public class DemoVerdictIT {

  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static final String RUN_ID = "demo-default";
  private static Path folder;
  private static Outcome demo;
  /** Whether bin/test's demo lane made the runs (REHEARSAL_DEMO_RUN). */
  private static boolean lane;

  @BeforeClass
  public static void theDemoAtTheDefaultScale() throws Exception {
    String made = System.getenv("REHEARSAL_DEMO_RUN");
    lane = made != null && !made.isBlank();
    if (lane) {
      folder = Path.of(made);
      demo = Launcher.awaitLane(folder, 45);
    } else {
      folder = temp.newFolder("demo").toPath();
      demo = Launcher.run(temp, Map.of(), "demo", "--lake", folder.resolve("lake").toString(), "--warehouse",
          folder.resolve("warehouse").toString(), "--run-id", RUN_ID);
    }
  }

  private static String lake() {
    return folder.resolve("lake").toString();
  }

  @Test
  public void theDemoExitsZeroOnItsIntendedFailAndRecordsIt() throws Exception {
    String out = demo.stdout();
    assertEquals(out + demo.stderr(), RehearsalCli.EXIT_OK, demo.exitCode());
    assertTrue(demo.stderr(), demo.stderr().contains("demo: the verdict is FAIL, as the demo intends"));
    assertTrue(out, out.contains("\nVerdict of run " + RUN_ID + ": FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n"));
    String[] lines = out.strip().split("\n");
    assertTrue(out, Pattern.compile("^\\{\"record\":\"\\S+/runs/" + RUN_ID + "/record\\.json\",\"report\":\"\\S+/report\\.html\","
        + "\"run_id\":\"" + RUN_ID + "\",\"status\":\"completed\",\"verdict\":\"FAIL\"}$").matcher(lines[lines.length - 1]).find());
    JsonNode record = new ObjectMapper().readTree(folder.resolve("warehouse/runs/" + RUN_ID + "/record.json").toFile());
    List<String> verdicts = new java.util.ArrayList<>();
    record.path("entries").forEach(e -> {
      if ("result".equals(e.path("kind").asText())) {
        verdicts.add(e.path("body").path("verdict").asText());
      }
    });
    assertEquals(List.of("FAIL"), verdicts);
    // The plan records the session's settings, among them the defaults RehearsalSpark gives a local master when
    // nothing sets them (docs/cluster.md), which the run's CPU time depends on.
    JsonNode conf = null;
    for (JsonNode e : record.path("entries")) {
      if ("plan".equals(e.path("kind").asText())) {
        conf = e.path("body").path("spark_conf");
      }
    }
    assertTrue(String.valueOf(record), conf != null);
    assertEquals(conf.toString(), "1", conf.path("spark.databricks.delta.snapshotPartitions").asText());
    assertEquals(conf.toString(), "false", conf.path("spark.databricks.delta.allFilesInCrc.enabled").asText());
    assertEquals(conf.toString(), "4096", conf.path("spark.sql.codegen.cache.maxEntries").asText());
  }

  @Test
  public void theDemoCandidateHelpsLoyaltyMembersAndFailsFirstTimeBuyers() {
    String out = demo.stdout();
    // Loyalty members pass the primary metric (and recall@20); their revenue@10 interval reaches past its 5%
    // margin, so that gate is INCONCLUSIVE and so is the segment (docs/metrics.md, "Gates"). By hand from the
    // printed two-sided interval: se = (3.44564 − 0.369022) / t(3955; 0.975) = 3.076618 / 1.960564 = 1.569252,
    // and the one-sided 95% lower bound 0.369022 − t(3955; 0.95) · se = 0.369022 − 1.645239 · 1.569252 = −2.21277
    // is below −0.681779 (t quantiles from an incomplete-beta implementation in Python, not Commons Math).
    assertTrue(out, out.contains("\nVerdict: FAIL — loyalty_members INCONCLUSIVE, first_time_buyers FAIL\n"));
    assertTrue(out, out.contains("\n  failing: ndcg@10 in first_time_buyers, recall@20 in first_time_buyers\n"));
    assertTrue(out, out.contains("\n  PASS ndcg@10 in segment 'loyalty_members': candidate − baseline = +0.0706862 "
        + "(95% CI +0.0640359 … +0.0773364, one-sided 95% lower bound +0.0651055), above −margin −0.00124838"));
    assertTrue(out, out.contains("\n  INCONCLUSIVE revenue@10 in segment 'loyalty_members': candidate − baseline = "
        + "+0.369022 (95% CI -2.70759 … +3.44564, one-sided 95% lower bound -2.21277), not above −margin −0.681779"));
    assertTrue(out, out.contains("\n  FAIL ndcg@10 in segment 'first_time_buyers': candidate − baseline = -0.0241094 "
        + "(95% CI -0.0308918 … -0.0173269, one-sided 95% lower bound -0.0298003); harm beyond the margin "
        + "−0.00130398 shown"));
    assertEquals(0.0707, difference(out, "loyalty_members", "ndcg@10"), 0);
    assertEquals(-0.0241, difference(out, "first_time_buyers", "ndcg@10"), 0);
    // Better on average: the pooled difference over both segments' users is positive.
    Matcher average = Pattern.compile("on average over all 5,500 evaluated users: ndcg@10 ([+-][0-9.]+) ").matcher(out);
    assertTrue(out, average.find());
    assertEquals(0.0441, Double.parseDouble(average.group(1)), 0);
  }

  @Test
  public void theDemoDriftSuiteFlagsThePromotionAndThePriceRise() {
    String out = demo.stdout();
    // The promotion's 20% discount shows in the items' 30-day price change (always 0 in the reference week),
    // and members visit 50% more often: their 7-day activity features alert.
    assertTrue(out, Pattern.compile("\n  ALERT +item +loyalty_members +item_price_change_30d ").matcher(out).find());
    for (String feature : List.of("sessions_7d", "clicks_7d", "views_7d", "orders_7d")) {
      assertTrue(feature + ":\n" + out, Pattern.compile("\n  ALERT +user +loyalty_members +" + feature + " ").matcher(out)
          .find());
    }
    // The weekly series: nothing before the promotion (as-of 04-07 and 04-14 see only earlier events), the
    // promotion on 04-21, and the electronics price rise of 05-19 in the items' 30-day price change.
    Matcher series = Pattern.compile("\n  loyalty_members +user +04-07 0/0 04-14 (\\d+)/\\d+ 04-21 (\\d+)/(\\d+) ")
        .matcher(out);
    assertTrue(out, series.find());
    assertTrue(out, Integer.parseInt(series.group(1)) <= 2);
    assertTrue(out, Integer.parseInt(series.group(2)) >= 10 && Integer.parseInt(series.group(3)) >= 10);
    Matcher change = Pattern.compile("\n  loyalty_members +(\\S+) … 2025-06-30: the latest stable period starts at "
        + "the change on (\\S+) \\(([^)]*)").matcher(out);
    assertTrue(out, change.find());
    assertTrue(out, change.group(3).contains("item.item_price_change_30d"));
    Assert.assertFalse(out, LocalDate.parse(change.group(2)).isBefore(LocalDate.of(2025, 5, 19)));
    // Prediction drift: the popularity baseline's scores (weighted event counts) rise with the promotion's traffic.
    assertTrue(out, Pattern.compile("\n  ALERT +prediction +loyalty_members +baseline_score ").matcher(out).find());
    // The price cut concentrates in the promoted categories; electronics (repriced only in May) is not among them.
    String cohorts = out.substring(out.indexOf("\nImpacted cohorts"), out.indexOf("\nSeries every"));
    for (String category : List.of("fashion", "home", "beauty")) {
      assertTrue(cohorts, Pattern.compile("\n  loyalty_members +item +category=" + category
          + " .* alerting: item_price_change_30d ").matcher(cohorts).find());
    }
    Assert.assertFalse(cohorts, cohorts.contains("category=electronics"));
    assertTrue(out, out.contains("\nDrift: ALERT — "));
  }

  @Test
  public void theDemoSimulationMeasuresEachCatalogChangeAndTheColdStart() {
    String out = demo.stdout();
    // The lines docs/simulation.md shows.
    for (String line : List.of(
        "    new_electronics        baseline   0.0652 (+0.0000)     23.15 (+0.00)          0.000           0                0",
        "    fashion_price_cut      candidate  0.0411 (+0.0000)     18.01 (-0.21)          0.000           0                0",
        "    retire_bestsellers     baseline   0.0247 (-0.0405)     1.28 (-21.87)          0.985           0                0",
        "    retire_bestsellers     candidate  0.0128 (-0.0283)     0.62 (-17.61)          0.475           0                0",
        "  cold start first_time_buyers, candidate: 200 of 200 users without history got a valid list (200 from the "
            + "fallback)",
        "Simulation: PASS — every model gave valid lists (at most 0 failures allowed)")) {
      assertTrue(line + "\n" + out, out.contains("\n" + line + "\n"));
    }
  }

  /**
   * Every table of the demo's HTML report fits its card in a 1280-pixel-wide browser window (Chromium lays the page
   * out and a script measures each table against the content box holding it). The gates table used to run 290 px
   * past its card: its note column.
   */
  @Test
  public void everyTableOfTheReportFitsItsCardAt1280Pixels() throws Exception {
    Path report = folder.resolve("warehouse/runs/" + RUN_ID + "/report.html");
    assertEquals(List.of(), HeadlessChromium.overflowingTables(report, temp.newFolder("chromium").toPath(), 1280));
  }

  @Test
  public void aStablePairOfWindowsRaisesNoAlert() throws Exception {
    // A/A: two late-June weeks, after the promotion and the price rise have left every 30-day window, over the
    // demo run's own snapshots and feature tables (a warehouse that links to them, so the drift tables are written
    // outside the run).
    String manifest = Files.readString(Launcher.ROOT.resolve("manifests/demo.yaml"));
    String aa = manifest.substring(0, manifest.indexOf("\ndrift:\n")) + "\ndrift:\n  segments: [loyalty_members]\n"
        + "  reference: { start: 2025-06-19, end: 2025-06-23 }\n  current: { start: 2025-06-26, end: 2025-06-30 }\n";
    Outcome drift;
    if (lane) {
      // bin/test's demo lane made this run right after the demo (folder aa/), from the manifest defined here.
      Path made = folder.resolve("aa");
      drift = Launcher.awaitLane(made, 15);
      assertEquals(drift.stdout() + drift.stderr(), RehearsalCli.EXIT_OK, drift.exitCode());
      assertEquals("the A/A manifest bin/test's demo lane ran", aa, Files.readString(made.resolve("demo-aa.yaml")));
    } else {
      Path file = temp.newFile("demo-aa.yaml").toPath();
      Files.writeString(file, aa);
      Path warehouse = temp.newFolder("aa-warehouse").toPath();
      Files.createSymbolicLink(warehouse.resolve("snapshots"), folder.resolve("warehouse/runs/" + RUN_ID + "/snapshots"));
      Files.createSymbolicLink(warehouse.resolve("features"), folder.resolve("warehouse/runs/" + RUN_ID + "/features"));
      // Default scale: Spark's defaults, not the small profile bin/test gives its scale-1 runs (its first version,
      // interpreted plans and the C1 compiler, made this drift run several times slower on 2.3 million events).
      drift = Launcher.run(temp, Map.of("REHEARSAL_PROFILES", ""), "drift", file.toString(), "--lake", lake(),
          "--warehouse", warehouse.toString());
    }
    String out = drift.stdout();
    assertEquals(out + drift.stderr(), RehearsalCli.EXIT_OK, drift.exitCode());
    assertTrue(out, Pattern.compile("\nDrift: (OK|WARN) — 0 alerts, ").matcher(out).find());
    // Every late-June as-of day is one the demo's backfill computed: read from its feature tables, not computed again.
    assertTrue(out, out.contains("] loyalty_members user features: 10 of 10 as-of days read from the backfilled feature table\n"));
    assertTrue(out, out.contains("] loyalty_members item features: 10 of 10 as-of days read from the backfilled feature table\n"));
  }

  private static double difference(String out, String segment, String metric) {
    Matcher m = Pattern.compile("\n  " + segment + " +" + Pattern.quote(metric) + " +[0-9]+ +[0-9.]+ +[0-9.]+ +([+-][0-9.]+) ")
        .matcher(out);
    assertTrue(segment + " " + metric + " missing:\n" + out, m.find());
    return Double.parseDouble(m.group(1));
  }
}
