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
import org.junit.Assert;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo manifest at the demo lake's default scale, through bin/rehearsal: the ranking regression (the
 * candidate is better on average and fails for first-time buyers), the drift suite (the promotion and
 * the price rise are flagged; a stable pair of windows is not) and the catalog simulation. Backfill and parity are left to LauncherIT:
 * evaluate and drift need only the lake and the snapshots.
 */
public class DemoVerdictIT {

  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static String lake;
  private static String warehouse;

  @BeforeClass
  public static void demoLakeAndSnapshots() throws Exception {
    lake = temp.newFolder("lake").toString();
    warehouse = temp.newFolder("warehouse").toString();
    Outcome generated = Launcher.run(temp, Map.of(), "generate", "--seed", "42", "--out", lake);
    assertEquals(generated.stdout() + generated.stderr(), 0, generated.exitCode());
    Outcome snapshot = Launcher.run(temp, Map.of(), "snapshot", "manifests/demo.yaml", "--lake", lake, "--warehouse",
        warehouse, "--salt-file", "conf/demo-salt.txt");
    assertEquals(snapshot.stdout() + snapshot.stderr(), 0, snapshot.exitCode());
  }

  @Test
  public void theDemoCandidateHelpsLoyaltyMembersAndFailsFirstTimeBuyers() throws Exception {
    Outcome evaluate = Launcher.run(temp, Map.of(), "evaluate", "manifests/demo.yaml", "--lake", lake, "--warehouse",
        warehouse);
    String out = evaluate.stdout();
    assertEquals(out + evaluate.stderr(), RehearsalCli.EXIT_CHECK_FAILED, evaluate.exitCode());
    assertTrue(out, out.contains("\nVerdict: FAIL — loyalty_members PASS, first_time_buyers FAIL\n"));
    assertTrue(out, out.contains("\n  failing: ndcg@10 in first_time_buyers, recall@20 in first_time_buyers\n"));
    assertTrue(out, out.contains("\n  FAIL ndcg@10 in segment 'first_time_buyers': candidate − baseline = -0.0241094 "
        + "(95% CI -0.0308918 … -0.0173269), worse than the margin −0.00130398"));
    assertEquals(0.0707, difference(out, "loyalty_members", "ndcg@10"), 0);
    assertEquals(-0.0241, difference(out, "first_time_buyers", "ndcg@10"), 0);
    // Better on average: the pooled difference over both segments' users is positive.
    Matcher average = Pattern.compile("on average over all 5,500 evaluated users: ndcg@10 ([+-][0-9.]+) ").matcher(out);
    assertTrue(out, average.find());
    assertEquals(0.0441, Double.parseDouble(average.group(1)), 0);
  }

  @Test
  public void theDemoDriftSuiteFlagsThePromotionAndThePriceRise() throws Exception {
    Outcome drift = Launcher.run(temp, Map.of(), "drift", "manifests/demo.yaml", "--lake", lake, "--warehouse",
        warehouse);
    String out = drift.stdout();
    assertEquals(out + drift.stderr(), RehearsalCli.EXIT_CHECK_FAILED, drift.exitCode());
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
  public void theDemoSimulationMeasuresEachCatalogChangeAndTheColdStart() throws Exception {
    Outcome simulate = Launcher.run(temp, Map.of(), "simulate", "manifests/demo.yaml", "--lake", lake, "--warehouse",
        warehouse);
    String out = simulate.stdout();
    assertEquals(out + simulate.stderr(), RehearsalCli.EXIT_OK, simulate.exitCode());
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

  @Test
  public void aStablePairOfWindowsRaisesNoAlert() throws Exception {
    // A/A: two late-June weeks, after the promotion and the price rise have left every 30-day window.
    String demo = Files.readString(Launcher.ROOT.resolve("manifests/demo.yaml"));
    Path aa = temp.newFile("demo-aa.yaml").toPath();
    Files.writeString(aa, demo.substring(0, demo.indexOf("\ndrift:\n")) + "\ndrift:\n  segments: [loyalty_members]\n"
        + "  reference: { start: 2025-06-19, end: 2025-06-23 }\n  current: { start: 2025-06-26, end: 2025-06-30 }\n");
    Outcome drift = Launcher.run(temp, Map.of(), "drift", aa.toString(), "--lake", lake, "--warehouse", warehouse);
    String out = drift.stdout();
    assertEquals(out + drift.stderr(), RehearsalCli.EXIT_OK, drift.exitCode());
    assertTrue(out, Pattern.compile("\nDrift: (OK|WARN) — 0 alerts, ").matcher(out).find());
  }

  private static double difference(String out, String segment, String metric) {
    Matcher m = Pattern.compile("\n  " + segment + " +" + Pattern.quote(metric) + " +[0-9]+ +[0-9.]+ +[0-9.]+ +([+-][0-9.]+) ")
        .matcher(out);
    assertTrue(segment + " " + metric + " missing:\n" + out, m.find());
    return Double.parseDouble(m.group(1));
  }
}
