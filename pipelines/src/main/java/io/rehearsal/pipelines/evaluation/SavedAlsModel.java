package io.rehearsal.pipelines.evaluation;

import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.io.TableStore;
import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.AlsRanker;
import java.util.Map;
import org.apache.spark.ml.recommendation.ALSModel;

/**
 * A saved Spark ML ALS model as {@code kind: spark_ml} reads it: {@code <path>/model} (written by
 * {@code ALSModel.write().save}) and the id mappings {@code <path>/users} (user_id STRING, u INT) and
 * {@code <path>/items} (item_id STRING, i INT) as Parquet, because ALS itself only knows integer ids.
 */
public final class SavedAlsModel {

  private SavedAlsModel() {}

  public static AlsRanker.Trained load(TableStore store, String path, String role) {
    ALSModel model;
    try {
      model = ALSModel.load(path + "/model");
    } catch (Exception e) {
      throw RehearsalException.invalidInput("Cannot load the " + role + " model (kind spark_ml) from " + path,
          "no readable ALS model at " + path + "/model: " + RehearsalException.firstLine(e.getMessage(), "null"),
          AlsRanker.savedLayoutFix(role), e);
    }
    try {
      return new AlsRanker.Trained(model, store.read(idMapping("users", path)), store.read(idMapping("items", path)));
    } catch (Exception e) {
      throw RehearsalException.invalidInput("Cannot load the id mappings of the " + role + " model from " + path,
          RehearsalException.firstLine(e.getMessage(), "null"),
          "write users/ (user_id STRING, u INT) and items/ (item_id STRING, i INT) as Parquet next to model/", e);
    }
  }

  private static TableSource idMapping(String entity, String path) {
    return new TableSource(entity + " id mapping of the ALS model at " + path, path + "/" + entity, "parquet", null,
        Map.of());
  }
}
