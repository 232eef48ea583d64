package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The demo's ranking regression at the demo lake's default scale, through bin/rehearsal: the candidate is
 * better on average and fails for first-time buyers. (Backfill and parity are left to LauncherIT: evaluate
 * needs only the lake and the snapshots.)
 */
public class DemoVerdictIT {

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void theDemoCandidateHelpsLoyaltyMembersAndFailsFirstTimeBuyers() throws Exception {
    String lake = temp.newFolder("lake").toString();
    String warehouse = temp.newFolder("warehouse").toString();
    Outcome generated = Launcher.run(temp, Map.of(), "generate", "--seed", "42", "--out", lake);
    assertEquals(generated.stdout() + generated.stderr(), 0, generated.exitCode());
    Outcome snapshot = Launcher.run(temp, Map.of(), "snapshot", "manifests/demo.yaml", "--lake", lake, "--warehouse",
        warehouse, "--salt-file", "conf/demo-salt.txt");
    assertEquals(snapshot.stdout() + snapshot.stderr(), 0, snapshot.exitCode());

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

  private static double difference(String out, String segment, String metric) {
    Matcher m = Pattern.compile("\n  " + segment + " +" + Pattern.quote(metric) + " +[0-9]+ +[0-9.]+ +[0-9.]+ +([+-][0-9.]+) ")
        .matcher(out);
    assertTrue(segment + " " + metric + " missing:\n" + out, m.find());
    return Double.parseDouble(m.group(1));
  }
}
