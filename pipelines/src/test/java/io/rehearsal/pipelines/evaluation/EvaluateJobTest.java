package io.rehearsal.pipelines.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;
import static org.junit.Assert.assertEquals;

import io.rehearsal.pipelines.cli.RehearsalCli;
import io.rehearsal.pipelines.io.DeltaTableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.ManifestLoader;
import io.rehearsal.pipelines.simulation.SimulationJob;
import io.rehearsal.pipelines.simulation.SimulationResult;
import io.rehearsal.pipelines.simulation.SimulationTables;
import io.rehearsal.pipelines.snapshot.SnapshotJob;
import io.rehearsal.pipelines.testing.DemoLakeFixture;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.checks.CheckStatus;
import io.rehearsal.transforms.ranking.MetricStatistic;
import io.rehearsal.transforms.ranking.SegmentComparison;
import io.rehearsal.transforms.stats.GateEvaluation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.ml.recommendation.ALS;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.Assert;
import org.junit.Before;
import org.junit.Test;
import org.junit.ClassRule;
import org.junit.rules.TemporaryFolder;

/**
 * {@code evaluate} end to end on a generated demo lake (scale 1) with two snapshotted segments, every user
 * kept: an identical candidate, a shuffled one, a saved Spark ML model and an external table with
 * production user ids, on real Delta tables.
 */
public class EvaluateJobTest extends io.rehearsal.transforms.testing.SparkTestBase {

  /** The class's shared lakes and warehouses, deleted after its last test. */
  @ClassRule public static final TemporaryFolder CLASS_TEMP = new TemporaryFolder();

  private static final String SALT = "evaluate-test-salt";
  private static Path lake;
  private static Path warehouse;
  private static boolean snapshotted;
  private Path folder;

  @Before
  public void lakeAndSnapshot() throws IOException {
    if (lake == null) {
      lake = DemoLakeFixture.seed42Scale1(spark());
      warehouse = CLASS_TEMP.newFolder("eval-warehouse").toPath();
    }
    folder = temp.newFolder("m").toPath();
    if (!snapshotted) {
      new SnapshotJob().spark(spark()).store(new DeltaTableStore(spark()))
          .manifest(manifest("{ kind: popularity, version: a }", "{ kind: popularity, version: b }", ""))
          .salt(SALT).runId("snap").execute();
      snapshotted = true;
    }
  }

  private Path manifestFile(String baseline, String candidate, String extraGates) throws IOException {
    return manifestFile(baseline, candidate, extraGates, "");
  }

  /** {@code evaluationExtra}: more lines of the evaluation section (two-space indented), e.g. its segments. */
  private Path manifestFile(String baseline, String candidate, String extraGates, String evaluationExtra)
      throws IOException {
    String yaml = "apiVersion: rehearsal/v1\nname: t\nlake: " + lake + "\nwarehouse: " + warehouse + "\n"
        + "inputs:\n  events: { path: events }\n  users: { path: users }\n  items: { path: items }\n"
        + "segments:\n"
        + "  - name: members\n    filter: \"loyalty_tier IN ('silver', 'gold', 'platinum')\"\n"
        + "    window: { start: 2025-03-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 3, rate: 1.0 }\n"
        + "  - name: others\n    filter: \"loyalty_tier = 'none'\"\n"
        + "    window: { start: 2025-03-01, end: 2025-07-01 }\n    sampling: { policy: uniform, seed: 4, rate: 1.0 }\n"
        + "privacy: { pseudonymize: [user_id, email, phone], drop: [full_name] }\n"
        + "models:\n  baseline: " + baseline + "\n  candidate: " + candidate + "\n"
        + "evaluation:\n  cutoff: 2025-06-10\n  horizon_days: 21\n  k: [10]\n"
        + "  bootstrap: { resamples: 200, seed: 5 }\n" + evaluationExtra
        + "gates:\n  primary: { metric: ndcg@10, margin: { relative: 0.02 }, mde: 0.05 }\n"
        + "  secondary:\n    - { metric: recall@10, margin: { relative: 0.05 }, mde: 0.05 }\n" + extraGates;
    Path file = folder.resolve("manifest.yaml");
    Files.write(file, yaml.getBytes(StandardCharsets.UTF_8));
    return file;
  }

  private Manifest manifest(String baseline, String candidate, String extraGates) throws IOException {
    return new ManifestLoader().load(manifestFile(baseline, candidate, extraGates));
  }

  private EvaluateResult evaluate(Manifest m, String salt) {
    return new EvaluateJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).salt(salt).runId("ev")
        .execute();
  }

  private Dataset<Row> table(String name) {
    return spark().read().format("delta").load(EvaluationTables.path(warehouse.toString(), "t", name));
  }

  @Test
  public void anIdenticalCandidateHasZeroDeltasAndNeedsEnoughUsersWithoutOneToPass() throws IOException {
    EvaluateResult r = evaluate(manifest("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: popularity, version: pop-b, lookback_days: 30 }",
        "  guardrails:\n    - { metric: scoring_failures, max: 0 }\n    - { metric: coverage@10, min_ratio_to_baseline: 1 }\n"),
        null);
    // Every user's difference is 0, so no t-interval: the gate asks how many users without a difference rule
    // out a hidden share of users who differ by up to R (the largest per-user value) enough to break the
    // margin m: n > ln 0.05 / ln(1 − m / R) (docs/metrics.md), computed here from the written user metrics
    // (every user of these segments has some relevant item, so R > 0).
    // On this scale-1 lake some gates have enough users and PASS, the tighter ones do not and stay
    // INCONCLUSIVE: never a PASS on too few users, however identical the lists.
    // The largest per-user value of every segment × metric, collected once (not a query per check).
    Map<String, Double> largest = new HashMap<>();
    for (Row row : table(EvaluationTables.USER_METRICS).groupBy("segment", "metric")
        .agg(org.apache.spark.sql.functions.max("baseline")).collectAsList()) {
      largest.put(row.getString(0) + " " + row.getString(1), row.getDouble(2));
    }
    java.util.Set<CheckStatus> seen = new java.util.TreeSet<>();
    for (GateEvaluation.Check c : r.verdict().checks()) {
      assertEquals(c.message(), 0.0, c.comparison().meanDifference(), 0);
      Assert.assertTrue(c.message(), c.comparison().n() > 100);
      double range = largest.get(c.segment() + " " + c.gate().metric());
      // (1 − m/R)^n < 0.05 first holds at n = floor(ln 0.05 / ln(1 − m/R)) + 1; a check needs 30 users at least.
      long needed = Math.max(30, (long) Math.floor(Math.log(0.05) / Math.log(1 - c.absoluteMargin() / range)) + 1);
      assertEquals(c.message(), needed, c.requiredUsers());
      CheckStatus expected = c.comparison().n() >= needed ? CheckStatus.PASS : CheckStatus.INCONCLUSIVE;
      assertEquals(c.message() + " needs " + needed, expected, c.status());
      seen.add(c.status());
      if (expected == CheckStatus.INCONCLUSIVE) {
        Assert.assertTrue(c.message(), c.message().contains("users has the same difference, and " + needed + " users"));
      }
    }
    assertEquals(java.util.Set.of(CheckStatus.PASS, CheckStatus.INCONCLUSIVE), seen);
    assertEquals(CheckStatus.INCONCLUSIVE, r.verdict().overall());
    for (MetricStatistic m : r.statistics()) {
      assertEquals(m.segment() + " " + m.metric(), 0.0, m.comparison().meanDifference(), 0);
    }
    for (SegmentComparison c : r.comparisons()) {
      assertEquals(1.0, c.overlap(), 0);
      assertEquals(1.0, c.jaccard(), 0);
      assertEquals(1.0, c.kendallTau(), 0);
    }
    assertEquals(4, r.scoring().size());
    ModelScoring members = r.scoring().get(0);
    assertEquals(members.usersScored(), members.usersWithModelList());
    // The metrics table holds a row per segment × metric and the pooled rows; user_metrics one per user × metric.
    Dataset<Row> perUser = table(EvaluationTables.USER_METRICS);
    assertEquals(0, perUser.where(col("difference").notEqual(0)).count());
    long evaluated = r.statistics().stream().filter(m -> m.segment().equals(MetricStatistic.POOLED)
        && m.metric().equals("ndcg@10")).findFirst().orElseThrow().comparison().n();
    assertEquals(evaluated * 10, perUser.count());
    assertEquals("INCONCLUSIVE", table(EvaluationTables.GATES).select("overall_status").distinct().first().getString(0));
  }

  /** The manifest evaluated at k 10 and 50 (lists 50 deep). */
  private Path atTenAndFifty(Path file) throws IOException {
    Files.writeString(file, Files.readString(file).replace("  k: [10]\n", "  k: [10, 50]\n"));
    return file;
  }

  @Test
  public void aShuffledCandidateFailsOnNdcgAndTheCliExitsThree() throws IOException {
    // Members only (301 evaluated users): the others segment would take the same path a second time.
    String membersOnly = "  segments: [members]\n";
    evaluate(new ManifestLoader().load(atTenAndFifty(manifestFile("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: popularity, version: pop-b, lookback_days: 30 }", "", membersOnly))), null);
    // The candidate: each user's baseline top 50 in a seeded random order per user. The same 50 items, so
    // recall@50 cannot move; what the baseline ranked first now lands anywhere in the 50.
    Dataset<Row> shuffledLists = table(EvaluationTables.RECOMMENDATIONS).where(col("model").equalTo("baseline"))
        .select(col("user_id"), col("item_id"), row_number().over(Window.partitionBy("user_id")
            .orderBy(xxhash64(col("user_id"), col("item_id"), lit(17)), col("item_id"))).as("rank"));
    String shuffled = folder.resolve("shuffled").toString();
    shuffledLists.write().format("delta").save(shuffled);
    Path file = atTenAndFifty(manifestFile("{ kind: popularity, version: pop-a, lookback_days: 30 }",
        "{ kind: table, version: shuffled-1, path: " + shuffled + ", user_ids: snapshot }", "", membersOnly));
    EvaluateResult r = evaluate(new ManifestLoader().load(file), null);
    assertEquals(r.verdict().checks().toString(), CheckStatus.FAIL, r.verdict().overall());
    List<GateEvaluation.Check> failing = r.verdict().checks().stream().filter(c -> c.status() == CheckStatus.FAIL)
        .toList();
    Assert.assertTrue(r.verdict().checks().toString(), failing.stream().anyMatch(c -> c.gate().metric().equals("ndcg@10")));
    for (GateEvaluation.Check c : failing) {
      Assert.assertTrue(c.message(), List.of("ndcg@10", "recall@10").contains(c.gate().metric()));
      Assert.assertTrue(c.message(), c.message().startsWith("FAIL " + c.gate().metric() + " in segment '"
          + c.segment() + "': candidate − baseline = -0."));
    }
    for (MetricStatistic m : r.statistics()) {
      if (m.metric().equals("recall@50")) {
        assertEquals(m.segment(), 0.0, m.comparison().meanDifference(), 1e-12);
      }
    }
    // The CLI's exit code for this result (not a second evaluation through the CLI: LauncherIT runs the launcher
    // end to end, and `run` exits 3 on the trimmed manifest's FAIL there).
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED, io.rehearsal.pipelines.cli.EvaluateCommand.exitCode(r, false));
  }

  /**
   * The candidate is a saved Spark ML model trained here with MLlib's own API, not through the project's
   * AlsRanker or SavedAlsModel, following the protocol docs/metrics.md gives for {@code kind: als}: implicit
   * ALS on the summed event weights (view 1, click 2, add_to_cart 3, purchase 5) of the members' snapshot
   * events in [cutoff − 90 days, cutoff), ids indexed densely in id order, the declared rank, iterations,
   * regularisation, alpha and seed, and 4 user and item blocks (the fixed block count). Saved in the
   * documented {@code spark_ml} layout: {@code model/} (ALSModel.write().save), {@code users/} (user_id, u) and
   * {@code items/} (item_id, i) as Parquet.
   *
   * <p>The expected side is computed in this test from MLlib's own {@code recommendForAllUsers} over the whole
   * catalog: per user, the items bought before the cutoff removed, scores descending, ties by item id, the top
   * 10 (docs/metrics.md) — then NDCG@10 and recall@10 with the metric definitions written out below against
   * the held-out interactions, also derived here from the raw snapshot events. The project's lists and
   * per-user metrics for the saved model must equal these, and the built-in {@code als} with the same
   * parameters must list exactly the same items (delta 0, which is now a claim about two independent
   * trainings, not one model compared with itself).
   */
  @Test
  public void aSavedAlsModelListsExactlyWhatTheBuiltInAlsLists() throws IOException {
    String als = "rank: 8, max_iter: 5, reg_param: 0.1, alpha: 5, seed: 9, lookback_days: 90";
    Dataset<Row> events = spark().read().format("delta").load(warehouse.resolve("snapshots/events").toString())
        .where(col("segment").equalTo("members"));
    Timestamp cutoff = Timestamp.from(Instant.parse("2025-06-10T00:00:00Z"));
    Timestamp trainFrom = Timestamp.from(Instant.parse("2025-03-12T00:00:00Z")); // cutoff − 90 days
    Timestamp horizonEnd = Timestamp.from(Instant.parse("2025-07-01T00:00:00Z")); // cutoff + 21 days
    Dataset<Row> training = events.where(col("event_ts").geq(lit(trainFrom)).and(col("event_ts").lt(lit(cutoff))));
    List<String> userIds = training.select("user_id").distinct().orderBy("user_id").as(Encoders.STRING()).collectAsList();
    List<String> itemIds = training.select("item_id").distinct().orderBy("item_id").as(Encoders.STRING()).collectAsList();
    Dataset<Row> userIndex = index(userIds, "user_id", "u");
    Dataset<Row> itemIndex = index(itemIds, "item_id", "i");
    Column weight = when(col("event_type").equalTo("view"), 1.0).when(col("event_type").equalTo("click"), 2.0)
        .when(col("event_type").equalTo("add_to_cart"), 3.0).when(col("event_type").equalTo("purchase"), 5.0).otherwise(0.0);
    Dataset<Row> ratings = training.groupBy("user_id", "item_id").agg(sum(weight).as("confidence"))
        .where(col("confidence").gt(0)).join(userIndex, "user_id").join(itemIndex, "item_id");
    ALSModel model = new ALS().setImplicitPrefs(true).setRank(8).setMaxIter(5).setRegParam(0.1).setAlpha(5).setSeed(9)
        .setNumUserBlocks(4).setNumItemBlocks(4).setUserCol("u").setItemCol("i").setRatingCol("confidence")
        .fit(ratings);
    String saved = folder.resolve("als").toString();
    model.write().save(saved + "/model");
    userIndex.write().parquet(saved + "/users");
    itemIndex.write().parquet(saved + "/items");

    // Expected lists: MLlib's scores for the whole catalog, minus items bought before the cutoff, top 10.
    Map<String, Set<String>> boughtBefore = new HashMap<>();
    for (Row r : events.where(col("event_ts").lt(lit(cutoff)).and(col("event_type").equalTo("purchase")))
        .select("user_id", "item_id").collectAsList()) {
      boughtBefore.computeIfAbsent(r.getString(0), x -> new HashSet<>()).add(r.getString(1));
    }
    Map<String, List<String>> expectedLists = new HashMap<>();
    for (Row r : model.recommendForAllUsers(itemIds.size()).collectAsList()) {
      String user = userIds.get(r.getInt(0));
      List<Object[]> scored = new ArrayList<>();
      for (Row rec : r.<Row>getList(1)) {
        String item = itemIds.get(rec.getInt(0));
        if (!boughtBefore.getOrDefault(user, Set.of()).contains(item)) {
          scored.add(new Object[] {item, (double) rec.getFloat(1)});
        }
      }
      scored.sort(Comparator.<Object[]>comparingDouble(o -> -(double) o[1]).thenComparing(o -> (String) o[0]));
      expectedLists.put(user, scored.stream().limit(10).map(o -> (String) o[0]).toList());
    }
    assertEquals(userIds.size(), expectedLists.size());
    // Held-out interactions: [cutoff, cutoff + 21 days), each item graded by its best event type (purchase 3,
    // add_to_cart 2, click 1), items bought before the cutoff left out.
    Map<String, Map<String, Double>> truth = new HashMap<>();
    for (Row r : events.where(col("event_ts").geq(lit(cutoff)).and(col("event_ts").lt(lit(horizonEnd))))
        .select("user_id", "item_id", "event_type").collectAsList()) {
      double grade = switch (r.getString(2)) {
        case "purchase" -> 3;
        case "add_to_cart" -> 2;
        case "click" -> 1;
        default -> 0;
      };
      if (grade > 0 && !boughtBefore.getOrDefault(r.getString(0), Set.of()).contains(r.getString(1))) {
        truth.computeIfAbsent(r.getString(0), x -> new HashMap<>()).merge(r.getString(1), grade, Math::max);
      }
    }

    // Members only: every assertion below is about them (ALS is trained per segment).
    EvaluateResult r = evaluate(new ManifestLoader().load(manifestFile("{ kind: als, version: als-builtin, " + als + " }",
        "{ kind: spark_ml, version: als-saved, path: " + saved + ", user_ids: snapshot }", "", "  segments: [members]\n")),
        null);

    // The project's lists: the saved model's users get exactly the expected lists; everyone else the fallback.
    Map<String, List<String>> candidateLists = lists("candidate", "model");
    assertEquals(expectedLists, candidateLists);
    assertEquals(expectedLists, lists("baseline", "model"));
    Set<String> snapshotUsers = new HashSet<>(spark().read().format("delta").load(warehouse.resolve("snapshots/users").toString())
        .where(col("segment").equalTo("members")).select("user_id").as(Encoders.STRING()).collectAsList());
    Set<String> unknown = new HashSet<>(snapshotUsers);
    unknown.removeAll(userIds);
    assertEquals(unknown, lists("candidate", "fallback").keySet());

    // Per-user metrics against the hand-written definitions (exponential gain 2^rel − 1, ideal DCG over the
    // best min(k, |rel|) items; recall = relevant items in the top k / all relevant items).
    Map<String, double[]> actual = new HashMap<>();
    for (Row m : table(EvaluationTables.USER_METRICS).where(col("segment").equalTo("members")
        .and(col("metric").isin("ndcg@10", "recall@10"))).select("user_id", "metric", "baseline", "candidate").collectAsList()) {
      actual.computeIfAbsent(m.getString(0), x -> new double[4])[m.getString(1).equals("ndcg@10") ? 0 : 2] = m.getDouble(3);
      actual.get(m.getString(0))[m.getString(1).equals("ndcg@10") ? 1 : 3] = m.getDouble(2);
    }
    assertEquals("evaluated users = the members with held-out interactions", truth.keySet(), actual.keySet());
    int compared = 0;
    for (Map.Entry<String, List<String>> e : expectedLists.entrySet()) {
      Map<String, Double> grades = truth.get(e.getKey());
      if (grades == null) {
        continue;
      }
      double[] got = actual.get(e.getKey());
      assertEquals(e.getKey() + " ndcg@10", ndcgAt10(e.getValue(), grades), got[0], 1e-12);
      assertEquals(e.getKey() + " recall@10", recallAt10(e.getValue(), grades), got[2], 1e-12);
      assertEquals(e.getKey() + " baseline ndcg@10", got[0], got[1], 0);
      assertEquals(e.getKey() + " baseline recall@10", got[2], got[3], 0);
      compared++;
    }
    Assert.assertTrue("users compared: " + compared, compared > 50);

    GateEvaluation.Check members = r.verdict().checks().stream()
        .filter(c -> c.segment().equals("members") && c.gate().metric().equals("ndcg@10")).findFirst().orElseThrow();
    assertEquals(0.0, members.comparison().meanDifference(), 0);
    Assert.assertTrue(members.comparison().baselineMean() > 0);
    ModelScoring saved0 = r.scoring().stream().filter(s -> s.segment().equals("members") && s.role().equals("candidate"))
        .findFirst().orElseThrow();
    assertEquals("spark_ml", saved0.kind());
    assertEquals(userIds.size(), saved0.usersWithModelList());
    assertEquals(snapshotUsers.size(), saved0.usersScored());
  }

  /** (id, dense index in id order) rows, built on the driver from the sorted ids. */
  private Dataset<Row> index(List<String> sortedIds, String idColumn, String indexColumn) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < sortedIds.size(); i++) {
      rows.add(RowFactory.create(sortedIds.get(i), i));
    }
    return spark().createDataFrame(rows, new StructType().add(idColumn, DataTypes.StringType, false)
        .add(indexColumn, DataTypes.IntegerType, false));
  }

  /** The members' lists of one model from the recommendations table, by source, in rank order. */
  private Map<String, List<String>> lists(String model, String source) {
    Map<String, List<String>> byUser = new HashMap<>();
    for (Row r : table(EvaluationTables.RECOMMENDATIONS).where(col("segment").equalTo("members")
        .and(col("model").equalTo(model)).and(col("source").equalTo(source))).orderBy("user_id", "rank")
        .select("user_id", "item_id").collectAsList()) {
      byUser.computeIfAbsent(r.getString(0), x -> new ArrayList<>()).add(r.getString(1));
    }
    return byUser;
  }

  /** NDCG@10 by docs/metrics.md: Σ (2^rel − 1) / log2(i + 1) over the top 10, over the ideal DCG of the best min(10, |rel|) items. */
  private static double ndcgAt10(List<String> list, Map<String, Double> grades) {
    double dcg = 0;
    for (int i = 0; i < Math.min(10, list.size()); i++) {
      double g = grades.getOrDefault(list.get(i), 0.0);
      dcg += (Math.pow(2, g) - 1) / (Math.log(i + 2) / Math.log(2));
    }
    List<Double> best = grades.values().stream().sorted(Comparator.reverseOrder()).toList();
    double ideal = 0;
    for (int i = 0; i < Math.min(10, best.size()); i++) {
      ideal += (Math.pow(2, best.get(i)) - 1) / (Math.log(i + 2) / Math.log(2));
    }
    return dcg / ideal;
  }

  /** Recall@10: relevant items in the top 10 over all relevant items. */
  private static double recallAt10(List<String> list, Map<String, Double> grades) {
    return list.stream().limit(10).filter(grades::containsKey).count() / (double) grades.size();
  }

  @Test
  public void anExternalTableWithProductionIdsIsPseudonymizedAndItsBadRowsCounted() throws IOException {
    // Every lake user gets the lake's three most viewed items; one unknown item and one repeated row are bad.
    Dataset<Row> lakeEvents = spark().read().format("delta").load(lake.resolve("events").toString());
    List<String> top = lakeEvents.groupBy("item_id").count().orderBy(col("count").desc(), col("item_id"))
        .limit(3).collectAsList().stream().map(r -> r.getString(0)).toList();
    Dataset<Row> users = spark().read().format("delta").load(lake.resolve("users").toString()).select("user_id");
    Dataset<Row> recs = users.crossJoin(spark().createDataset(top, org.apache.spark.sql.Encoders.STRING()).toDF("item_id"))
        .withColumn("score", row_number().over(Window.partitionBy("user_id").orderBy("item_id")))
        .unionByName(users.limit(1).select(col("user_id"), lit("i99999").as("item_id"), lit(9).as("score")))
        .unionByName(users.orderBy("user_id").limit(1).select(col("user_id"), lit(top.get(0)).as("item_id"), lit(8).as("score")));
    String external = folder.resolve("external").toString();
    recs.write().format("parquet").save(external);
    String candidate = "{ kind: table, version: vendor-7, path: " + external + ", format: parquet }";
    String guard = "  guardrails:\n    - { metric: scoring_failures, max: 0 }\n";

    RehearsalException noSalt = Assert.assertThrows(RehearsalException.class,
        () -> evaluate(manifest("{ kind: popularity, version: pop-a }", candidate, guard), null));
    assertEquals("Cannot match the candidate model's user ids to the snapshot", noSalt.problem());

    EvaluateResult r = evaluate(manifest("{ kind: popularity, version: pop-a }", candidate, guard), SALT);
    long failures = r.scoring().stream().filter(s -> s.role().equals("candidate")).mapToLong(ModelScoring::failures).sum();
    assertEquals(2, failures);
    for (ModelScoring s : r.scoring()) {
      if (s.role().equals("candidate")) {
        // Every snapshot user matched its production id's rows: nobody needed the fallback.
        assertEquals(s.segment(), s.usersScored(), s.usersWithModelList());
      }
    }
    assertEquals(CheckStatus.FAIL, r.verdict().overall());
    Assert.assertTrue(r.verdict().guardrails().stream().anyMatch(g -> g.status() == CheckStatus.FAIL
        && g.message().startsWith("FAIL guardrail scoring_failures in segment '")));
  }

  /**
   * One member's external list ties two items at rank 1, written in reverse id order; a user id the lake does not
   * know has a list too. Expected by hand (docs/metrics.md): the tie broken by item id, then the rank-2 item; the
   * stranger's list is in no segment's lists and counts as no failure, since a vendor may score more customers than a
   * segment holds.
   */
  @Test
  public void anExternalTablesTiedRanksAreBrokenByItemIdAndListsOfOtherUsersAreLeftOut() throws IOException {
    Timestamp cutoff = Timestamp.from(Instant.parse("2025-06-10T00:00:00Z"));
    Dataset<Row> members = spark().read().format("delta").load(warehouse.resolve("snapshots/events").toString())
        .where(col("segment").equalTo("members"));
    String member = members.select("user_id").distinct().orderBy("user_id").first().getString(0);
    // Items the member bought before the cutoff are never recommended to them: pick three others.
    Set<String> bought = new HashSet<>(members.where(col("user_id").equalTo(member).and(col("event_type").equalTo("purchase"))
        .and(col("event_ts").lt(lit(cutoff)))).select("item_id").as(Encoders.STRING()).collectAsList());
    List<String> items = spark().read().format("delta").load(lake.resolve("items").toString()).select("item_id")
        .orderBy("item_id").as(Encoders.STRING()).collectAsList().stream().filter(i -> !bought.contains(i)).limit(3).toList();
    String a = items.get(0);
    String b = items.get(1);
    String c = items.get(2);
    List<Row> rows = List.of(RowFactory.create(member, c, 1), RowFactory.create(member, b, 1),
        RowFactory.create(member, a, 2), RowFactory.create("not-a-customer", a, 1));
    String external = folder.resolve("tied").toString();
    spark().createDataFrame(rows, new StructType().add("user_id", DataTypes.StringType).add("item_id", DataTypes.StringType)
        .add("rank", DataTypes.IntegerType)).write().parquet(external);

    EvaluateResult r = evaluate(manifest("{ kind: popularity, version: pop-a }",
        "{ kind: table, version: tied-1, path: " + external + ", format: parquet, user_ids: snapshot }", ""), SALT);

    assertEquals(Map.of(member, List.of(b, c, a)), lists("candidate", "model"));
    assertEquals(0, table(EvaluationTables.RECOMMENDATIONS).where(col("user_id").equalTo("not-a-customer")).count());
    for (ModelScoring s : r.scoring()) {
      if (s.role().equals("candidate")) {
        assertEquals(s.segment(), 0, s.failures());
        assertEquals(s.segment(), s.segment().equals("members") ? 1 : 0, s.usersWithModelList());
      }
    }
  }

  // --- catalog-change simulation and cold-start stress (same lake and snapshots) ---

  private static final String POPULARITY = "{ kind: popularity, version: pop-30, lookback_days: 30 }";
  private static final String SIMULATION = "simulation:\n  segments: [members]\n  scenarios:\n"
      + "    - { name: gadgets, new_items: { category: electronics, count: 5 } }\n"
      + "    - name: doubled\n      price_shift:\n"
      + "        - { category: electronics, percent: 100 }\n        - { category: fashion, percent: 100 }\n"
      + "        - { category: home, percent: 100 }\n        - { category: beauty, percent: 100 }\n"
      + "        - { category: sports, percent: 100 }\n        - { category: toys, percent: 100 }\n"
      + "        - { category: books, percent: 100 }\n        - { category: grocery, percent: 100 }\n"
      + "    - { name: clearance, retire: { top_popular: 5 } }\n"
      + "  cold_start: { users: 20 }\n";

  private SimulationResult simulate(Manifest m) {
    return new SimulationJob().spark(spark()).store(new DeltaTableStore(spark())).manifest(m).runId("sim").execute();
  }

  @Test
  public void catalogScenariosMoveExactlyWhatTheyChange() throws IOException {
    SimulationResult r = simulate(manifest(POPULARITY, "{ kind: co_visitation, version: cv-5, history: 5 }",
        SIMULATION));
    for (String model : List.of("baseline", "candidate")) {
      SimulationResult.Measure ndcg = r.measure("members", "unchanged", model, "ndcg@10");
      Assert.assertTrue(model + " " + ndcg, ndcg.value() > 0);
      assertEquals(0.0, ndcg.delta(), 0);
      assertEquals(0.0, r.measure("members", "unchanged", model, "list_churn@10").value(), 0);
      // Cold SKUs have no interactions: neither built-in model can surface one, and nothing else moves.
      assertEquals(0.0, r.measure("members", "gadgets", model, "injected_skus_surfaced").value(), 0);
      assertEquals(0.0, r.measure("members", "gadgets", model, "list_churn@10").value(), 0);
      assertEquals(0.0, r.measure("members", "gadgets", model, "ndcg@10").delta(), 0);
      // Every price doubled, the same purchases: revenue doubles exactly, rankings and NDCG do not move.
      SimulationResult.Measure revenue = r.measure("members", "doubled", model, "revenue@10");
      Assert.assertTrue(model + " " + revenue, revenue.unchanged() > 0);
      assertEquals(2 * revenue.unchanged(), revenue.value(), 1e-9 * revenue.value());
      assertEquals(0.0, r.measure("members", "doubled", model, "ndcg@10").delta(), 0);
      assertEquals(0.0, r.measure("members", "doubled", model, "list_churn@10").value(), 0);
      for (String scenario : List.of("unchanged", "gadgets", "doubled", "clearance")) {
        assertEquals(model + " " + scenario, 0.0, r.measure("members", scenario, model, "invalid_lists").value(), 0);
      }
    }
    // The popularity list is everyone's: retiring the 5 most popular items changes every user's top 10.
    SimulationResult.Measure churn = r.measure("members", "clearance", "baseline", "list_churn@10");
    Assert.assertTrue(churn.toString(), churn.value() >= 0.3);
    Assert.assertTrue(r.measure("members", "clearance", "baseline", "ndcg@10").delta() < 0);
    assertEquals(List.of(new SimulationResult.ColdStart("members", "baseline", 20, 20, 0, java.util.Map.of()),
        new SimulationResult.ColdStart("members", "candidate", 20, 20, 20, java.util.Map.of())), r.coldStarts());
    Assert.assertTrue(r.passed());
    Dataset<Row> sensitivity = spark().read().format("delta")
        .load(SimulationTables.path(warehouse.toString(), "t", SimulationTables.SENSITIVITY));
    assertEquals(r.measures().size(), sensitivity.count());
    assertEquals(2, sensitivity.where(col("scenario").equalTo("doubled").and(col("measure").equalTo("revenue@10"))
        .and(col("relative_delta").between(0.999999, 1.000001))).count());
  }

  @Test
  public void aModelWithoutFallbackFailsTheColdStartAndTheCliExitsThree() throws IOException {
    Path file = manifestFile(POPULARITY, "{ kind: co_visitation, version: cv-5, history: 5, fallback: none }",
        "simulation:\n  segments: [members]\n  scenarios:\n"
            + "    - { name: gadgets, new_items: { category: toys, count: 1, price: 9.99 } }\n"
            + "  cold_start: { users: 12 }\n");
    SimulationResult r = simulate(new ManifestLoader().load(file));
    assertEquals(new SimulationResult.ColdStart("members", "candidate", 12, 0, 0, java.util.Map.of("no list", 12L)),
        r.coldStarts().get(1));
    SimulationResult.Check check = r.checks().get(1);
    assertEquals(12, check.coldStartFailures());
    Assert.assertFalse(check.passed());
    Assert.assertTrue(r.checks().get(0).passed());
    Assert.assertFalse(r.passed());
    assertEquals(RehearsalCli.EXIT_CHECK_FAILED, io.rehearsal.pipelines.cli.SimulateCommand.exitCode(r));
  }

  @Test
  public void anUnknownScenarioCategoryIsRejectedBeforeAnythingIsWritten() throws IOException {
    Path file = manifestFile(POPULARITY, POPULARITY, "simulation:\n  scenarios:\n"
        + "    - { name: sale, price_shift: { category: garden, percent: -10 } }\n");
    Files.writeString(file, Files.readString(file).replace("name: t\n", "name: bad\n"));
    Manifest m = new ManifestLoader().load(file);
    RehearsalException e = Assert.assertThrows(RehearsalException.class, () -> simulate(m));
    assertEquals("Cannot simulate scenario 'sale' of manifest " + m.file() + ": simulation.scenarios[0].price_shift[0]"
        + ".category 'garden' is not a category of the items table (categories: [beauty, books, electronics, fashion, "
        + "grocery, home, sports, toys]). Fix: use one of the catalog's categories", e.getMessage());
    Assert.assertFalse(Files.exists(Path.of(SimulationTables.path(warehouse.toString(), "bad", ""))));
  }

  @Test
  public void anExternalTableCanSurfaceAnInjectedSkuAndFailsWhereItIsUnknown() throws IOException {
    // A vendor's table that already ranks the SKU the scenario injects first, for every member.
    Dataset<Row> members = spark().read().format("delta").load(warehouse.resolve("snapshots/users").toString())
        .where(col("segment").equalTo("members")).select("user_id");
    long users = members.count();
    String table = folder.resolve("vendor").toString();
    members.select(col("user_id"), lit("sim-gadgets-toys-0001").as("item_id"), lit(1).as("rank"))
        .write().format("delta").save(table);
    SimulationResult r = simulate(manifest(POPULARITY, "{ kind: table, version: vendor-1, path: " + table
        + ", user_ids: snapshot }", "simulation:\n  segments: [members]\n  scenarios:\n"
        + "    - { name: gadgets, new_items: { category: toys, count: 1 } }\n  cold_start: { users: 0 }\n"));
    // Unchanged catalog: the SKU does not exist, so every row is rejected and counted; the fallback serves them.
    assertEquals((double) users, r.measure("members", "unchanged", "candidate", "invalid_lists").value(), 0);
    assertEquals(0.0, r.measure("members", "unchanged", "candidate", "injected_skus_surfaced").value(), 0);
    // With the SKU injected, it is valid and every member sees it.
    assertEquals(0.0, r.measure("members", "gadgets", "candidate", "invalid_lists").value(), 0);
    assertEquals(1.0, r.measure("members", "gadgets", "candidate", "injected_skus_surfaced").value(), 0);
    assertEquals((double) users, r.measure("members", "gadgets", "candidate", "short_lists").value(), 0);
    assertEquals(1.0, r.measure("members", "gadgets", "candidate", "list_churn@10").value(), 0);
    assertEquals(0.0, r.measure("members", "gadgets", "baseline", "injected_skus_surfaced").value(), 0);
    assertEquals(List.of(), r.coldStarts());
    SimulationResult.Check candidate = r.checks().get(1);
    assertEquals(users, candidate.scenarioFailures());
    Assert.assertFalse(candidate.passed());
  }
}
