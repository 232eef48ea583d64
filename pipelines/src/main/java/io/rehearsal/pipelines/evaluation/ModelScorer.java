package io.rehearsal.pipelines.evaluation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.pipelines.io.LakeEvents;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.transforms.Columns;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.AlsRanker;
import io.rehearsal.transforms.ranking.BuiltInRankers;
import io.rehearsal.transforms.ranking.ExternalRecommendations;
import io.rehearsal.transforms.ranking.ModelSpec;
import io.rehearsal.transforms.ranking.PopularityRanker;
import io.rehearsal.transforms.slicing.PrivacySpec;
import io.rehearsal.transforms.slicing.Pseudonymizer;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * Produces one model's lists for one segment's users: a built-in ranker trained before the cutoff, a
 * saved ALS model, or an external recommendations table (validated: rows with a missing id, an item not in
 * the catalog or a repeated item are rejected and counted as failures). Users the model leaves without a
 * list get the cold-start fallback — the segment's popularity over the last 30 days — unless the model
 * declares {@code fallback: none}. Output: (user_id, item_id, rank, score, source) with source
 * {@code model} or {@code fallback}.
 */
public final class ModelScorer {

  public static final int FALLBACK_LOOKBACK_DAYS = 30;

  /** One segment's inputs to scoring. */
  public record Segment(String name, Dataset<Row> events, Dataset<Row> users, Dataset<Row> excluded, LocalDate cutoff,
      int depth) {}

  /** Lists and the rows rejected while producing them. */
  public record Scored(Dataset<Row> lists, long failures, String failureDetail) {}

  private final SparkSession spark;
  private final TableStore store;
  private final Manifest manifest;
  private final String salt;
  private final Supplier<Dataset<Row>> lakeEvents;
  private final Dataset<Row> catalog;
  private final Map<String, BuiltInRankers.Trained> global;

  /** A scorer whose global models read the manifest's events input (its LakeEvents), pinned on first use. */
  public static ModelScorer forManifest(SparkSession spark, TableStore store, Manifest manifest, String salt,
      Dataset<Row> catalog) {
    Dataset<Row>[] lake = new Dataset[1];
    return new ModelScorer(spark, store, manifest, salt, () -> {
      if (lake[0] == null) {
        lake[0] = LakeEvents.usable(store, store.pin(manifest.input("events")));
      }
      return lake[0];
    }, catalog, new HashMap<>());
  }

  private ModelScorer(SparkSession spark, TableStore store, Manifest manifest, String salt,
      Supplier<Dataset<Row>> lakeEvents, Dataset<Row> catalog, Map<String, BuiltInRankers.Trained> global) {
    this.global = global;
    this.spark = spark;
    this.store = store;
    this.manifest = manifest;
    this.salt = salt;
    this.lakeEvents = lakeEvents;
    this.catalog = catalog;
  }

  public Scored score(ModelSpec spec, Segment segment) {
    Scored own = switch (spec.kind()) {
      case SPARK_ML -> new Scored(AlsRanker.recommend(
          withSnapshotIds(SavedAlsModel.load(store, spec.path(), spec.role()), spec), segment.users(), segment.excluded(),
          segment.depth(), Math.max(50, segment.depth())), 0, "");
      case TABLE -> fromTable(spec, segment);
      default -> new Scored(BuiltInRankers.recommend(trained(spec, segment), segment.events(), segment.users(),
          segment.excluded(), segment.cutoff(), segment.depth()), 0, "");
    };
    Dataset<Row> lists = own.lists().select(col("user_id"), col("item_id"), col("rank"), col("score"),
        lit("model").as("source"));
    if (spec.fallbackToPopularity()) {
      Dataset<Row> unserved = segment.users().select("user_id").distinct()
          .join(lists.select("user_id").distinct(), Columns.using("user_id"), "left_anti");
      Dataset<Row> fallback = PopularityRanker.recommend(unserved,
          PopularityRanker.itemScores(segment.events(), segment.cutoff(), FALLBACK_LOOKBACK_DAYS,
              ModelSpec.DEFAULT_EVENT_WEIGHTS, null), segment.excluded(), segment.depth(), Math.max(50, segment.depth()));
      lists = lists.unionByName(fallback.withColumn("source", lit("fallback")));
    }
    return new Scored(lists, own.failures(), own.failureDetail());
  }

  /**
   * A built-in ranker trained on the segment's events, or on the lake's: then trained once, kept, and
   * reused for every segment (see {@link #release}).
   */
  private BuiltInRankers.Trained trained(ModelSpec spec, Segment segment) {
    if (spec.scope() != ModelSpec.Scope.GLOBAL) {
      return BuiltInRankers.train(spec, segment.events(), segment.cutoff());
    }
    // Keyed by cutoff too: a model trained at one cutoff must never serve another.
    return global.computeIfAbsent(spec.role() + "@" + segment.cutoff(), key -> {
      BuiltInRankers.Trained t = BuiltInRankers.train(spec, lakeEvents.get(), segment.cutoff());
      return t.table() == null ? t
          : new BuiltInRankers.Trained(spec, t.table().persist(StorageLevel.MEMORY_AND_DISK()), null);
    });
  }

  /**
   * The same scorer (sharing the models it trained) against another catalog, which only external tables
   * are checked against: the built-in rankers recommend what they were trained on.
   */
  public ModelScorer withCatalog(Dataset<Row> other) {
    return new ModelScorer(spark, store, manifest, salt, lakeEvents, other, global);
  }

  /** The lake's events, as the global models read them. */
  public Dataset<Row> lakeEvents() {
    return lakeEvents.get();
  }

  /** Releases the models trained on the whole lake. */
  public void release() {
    global.values().forEach(t -> {
      if (t.table() != null) {
        t.table().unpersist();
      }
    });
    global.clear();
  }

  private AlsRanker.Trained withSnapshotIds(
      AlsRanker.Trained trained, ModelSpec spec) {
    return new AlsRanker.Trained(trained.model(),
        pseudonymized(trained.userIndex(), spec), trained.itemIndex());
  }

  private Scored fromTable(ModelSpec spec, Segment segment) {
    TableSource source = store.pin(TableSource.ofRecommendations(spec));
    Dataset<Row> table = store.read(source);
    List<String> columns = Arrays.asList(table.columns());
    ExternalRecommendations.missingColumns(columns).ifPresent(cause -> {
      throw RehearsalException.invalidInput("Cannot read the " + spec.role() + " recommendations table " + spec.path(),
          cause, ExternalRecommendations.FIX);
    });
    boolean ranked = columns.contains("rank");
    Dataset<Row> rows = pseudonymized(table.select(col("user_id").cast("string").as("user_id"),
        col("item_id").cast("string").as("item_id"),
        ranked ? col("rank").cast(DataTypes.DoubleType).as("__order") : col("score").cast(DataTypes.DoubleType).multiply(-1).as("__order"),
        columns.contains("score") ? col("score").cast(DataTypes.DoubleType).as("score") : lit(null).cast(DataTypes.DoubleType).as("score")), spec)
        .join(segment.users().select("user_id").distinct(), Columns.using("user_id"), "left_semi");
    Dataset<Row> known = catalog.select(col("item_id").as("__known")).distinct();
    Dataset<Row> checked = rows.join(known, rows.col("item_id").equalTo(known.col("__known")), "left")
        // The best-ranked copy of a repeated item stays; each further copy is one failure.
        .withColumn("__copy", row_number().over(Window.partitionBy("user_id", "item_id").orderBy(col("__order").asc_nulls_last())))
        .withColumn("__problem", when(col("item_id").isNull(), lit("missing item_id"))
            .when(col("__order").isNull(), lit(ranked ? "missing rank" : "missing score"))
            .when(col("__known").isNull(), lit("item not in the catalog"))
            .when(col("__copy").gt(1), lit("item repeated in the user's list")))
        .persist(StorageLevel.MEMORY_AND_DISK());
    List<Row> problems = checked.where(col("__problem").isNotNull()).groupBy("__problem").count()
        .orderBy("__problem").collectAsList();
    long failures = problems.stream().mapToLong(r -> r.getLong(1)).sum();
    String detail = String.join(", ", problems.stream().map(r -> r.getLong(1) + " " + r.getString(0)).toList());
    Dataset<Row> valid = checked.where(col("__problem").isNull())
        .withColumn("rank", row_number().over(Window.partitionBy("user_id").orderBy(col("__order").asc(), col("item_id").asc())))
        .where(col("rank").leq(segment.depth()));
    if (segment.excluded() != null) {
      valid = valid.join(segment.excluded().select("user_id", "item_id"), Columns.using("user_id", "item_id"), "left_anti");
    }
    return new Scored(valid.select(col("user_id"), col("item_id"), col("rank").cast(DataTypes.IntegerType),
        col("score")), failures, detail);
  }

  /** Production user ids become the snapshot's pseudonyms (the same salted hash), unless declared as snapshot ids. */
  private Dataset<Row> pseudonymized(Dataset<Row> rows, ModelSpec spec) {
    if (!spec.productionUserIds() || !manifest.privacy().pseudonymize().contains("user_id")) {
      return rows;
    }
    if (salt == null || salt.isEmpty()) {
      throw RehearsalException.invalidInput("Cannot match the " + spec.role() + " model's user ids to the snapshot",
          "the model uses production user ids (user_ids: production) and the snapshot pseudonymizes user_id, but no salt "
              + "is configured",
          "pass --salt-file (or set REHEARSAL_PSEUDONYM_SALT) with the snapshot's salt, or declare models." + spec.role()
              + ".user_ids: snapshot when the ids are already pseudonymized");
    }
    return Pseudonymizer.apply(rows, new PrivacySpec(List.of("user_id"), List.of()), salt);
  }
}
