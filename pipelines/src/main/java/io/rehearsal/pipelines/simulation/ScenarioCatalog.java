package io.rehearsal.pipelines.simulation;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import io.rehearsal.pipelines.evaluation.ModelScorer;
import io.rehearsal.pipelines.jobs.Progress;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.SimulationSection;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.EvaluationSpec;
import io.rehearsal.transforms.ranking.GroundTruth;
import io.rehearsal.transforms.simulation.CatalogChanges;
import io.rehearsal.transforms.simulation.CatalogScenario;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.storage.StorageLevel;

/**
 * One catalog scenario made concrete: the changed catalog (persisted; the caller unpersists it), its prices, the
 * items it retires and the SKUs it injects.
 */
record ScenarioCatalog(CatalogScenario scenario, Dataset<Row> catalog, Map<String, Double> prices,
    Set<String> retired, Set<String> injected) {

  private static Map<String, Double> prices(Dataset<Row> catalog) {
    Map<String, Double> price = new HashMap<>();
    for (Row row : catalog.select(col("item_id"), col("price").cast(DataTypes.DoubleType)).collectAsList()) {
      if (!row.isNullAt(1)) {
        price.put(row.getString(0), row.getDouble(1));
      }
    }
    return price;
  }

  /**
   * Checks every scenario of the manifest against the catalog before anything is scored, and builds its catalog;
   * the first is the unchanged catalog.
   */
  static List<ScenarioCatalog> resolve(Manifest manifest, Dataset<Row> catalog, ModelScorer scorer,
      Progress progress) {
    SimulationSection sim = manifest.simulation();
    EvaluationSpec spec = manifest.evaluation();
    List<String> columns = Arrays.asList(catalog.columns());
    for (String required : List.of("item_id", "category", "price")) {
      if (!columns.contains(required)) {
        throw RehearsalException.invalidInput("Cannot simulate catalog changes on the items table "
            + manifest.input("items").path(), "it has no column '" + required + "' (columns: " + columns + ")",
            "the simulation needs item_id, category and price; map them in the import (docs/import.md)");
      }
    }
    Map<String, Double> median = new TreeMap<>();
    for (Row r : catalog.groupBy(col("category").cast("string"))
        .agg(expr("percentile(CAST(price AS DOUBLE), 0.5)")).collectAsList()) {
      if (!r.isNullAt(0) && !r.isNullAt(1)) {
        median.put(r.getString(0), r.getDouble(1));
      }
    }
    Set<String> known = median.keySet();
    List<ScenarioCatalog> resolved = new ArrayList<>();
    resolved.add(new ScenarioCatalog(CatalogScenario.unchanged(), catalog, prices(catalog), Set.of(), Set.of()));
    for (int i = 0; i < sim.scenarios().size(); i++) {
      CatalogScenario s = sim.scenarios().get(i);
      String at = "simulation.scenarios[" + i + "]";
      for (int j = 0; j < s.newItems().size(); j++) {
        requireCategory(manifest, s, at + ".new_items[" + j + "].category", s.newItems().get(j).category(), known);
      }
      for (int j = 0; j < s.priceShifts().size(); j++) {
        requireCategory(manifest, s, at + ".price_shift[" + j + "].category", s.priceShifts().get(j).category(), known);
      }
      Set<String> retired = new TreeSet<>();
      if (s.retire() != null) {
        if (!s.retire().items().isEmpty()) {
          Set<String> present = new HashSet<>();
          catalog.where(col("item_id").isin(s.retire().items().toArray())).select("item_id").collectAsList()
              .forEach(r -> present.add(r.getString(0)));
          List<String> missing = s.retire().items().stream().filter(id -> !present.contains(id)).toList();
          if (!missing.isEmpty()) {
            throw RehearsalException.invalidInput("Cannot simulate scenario '" + s.name() + "' of manifest "
                    + manifest.file(), at + ".retire.items names " + missing.size() + " item(s) not in the items table: "
                    + missing.subList(0, Math.min(5, missing.size())),
                "retire only items of the catalog, or remove the ids");
          }
          retired.addAll(s.retire().items());
        }
        if (s.retire().topPopular() > 0) {
          scorer.lakeEvents().where(GroundTruth.trainingWindow(spec.cutoff(), ModelScorer.FALLBACK_LOOKBACK_DAYS))
              .groupBy("item_id").count().orderBy(col("count").desc(), col("item_id").asc())
              .limit(s.retire().topPopular()).collectAsList().forEach(r -> retired.add(r.getString(0)));
        }
      }
      Set<String> injected = new LinkedHashSet<>();
      for (int b = 0; b < s.newItems().size(); b++) {
        for (int n = 1; n <= s.newItems().get(b).count(); n++) {
          injected.add(s.newItemId(b, n));
        }
      }
      Dataset<Row> changed = CatalogChanges.apply(catalog, s, retired, median, spec.cutoff())
          .persist(StorageLevel.MEMORY_AND_DISK());
      progress.step("scenario %s: %d new items, %d price shifts, %d retired items; catalog %,d → %,d items", s.name(),
          injected.size(), s.priceShifts().size(), retired.size(), catalog.count(), changed.count());
      resolved.add(new ScenarioCatalog(s, changed, prices(changed), retired, injected));
    }
    return resolved;
  }

  private static void requireCategory(Manifest manifest, CatalogScenario s, String field, String category,
      Set<String> known) {
    if (!known.contains(category)) {
      throw RehearsalException.invalidInput("Cannot simulate scenario '" + s.name() + "' of manifest " + manifest.file(),
          field + " '" + category + "' is not a category of the items table (categories: " + known + ")",
          "use one of the catalog's categories");
    }
  }
}
