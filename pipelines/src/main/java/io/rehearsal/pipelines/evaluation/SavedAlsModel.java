package io.rehearsal.pipelines.evaluation;

import io.rehearsal.transforms.RehearsalException;
import io.rehearsal.transforms.ranking.AlsRanker;
import java.io.IOException;
import org.apache.spark.ml.recommendation.ALSModel;
import org.apache.spark.sql.SparkSession;

/**
 * A saved Spark ML ALS model as {@code kind: spark_ml} reads it: {@code <path>/model} (written by
 * {@code ALSModel.write().save}) and the id mappings {@code <path>/users} (user_id STRING, u INT) and
 * {@code <path>/items} (item_id STRING, i INT) as Parquet, because ALS itself only knows integer ids.
 */
public final class SavedAlsModel {

  private SavedAlsModel() {}

  public static void save(AlsRanker.Trained trained, String path) {
    try {
      trained.model().write().overwrite().save(path + "/model");
    } catch (IOException e) {
      throw RehearsalException.runtime("Cannot save the ALS model to " + path, e.toString(),
          "check that the folder is writable", e);
    }
    trained.userIndex().write().mode("overwrite").parquet(path + "/users");
    trained.itemIndex().write().mode("overwrite").parquet(path + "/items");
  }

  public static AlsRanker.Trained load(SparkSession spark, String path, String role) {
    ALSModel model;
    try {
      model = ALSModel.load(path + "/model");
    } catch (Exception e) {
      throw RehearsalException.invalidInput("Cannot load the " + role + " model (kind spark_ml) from " + path,
          "no readable ALS model at " + path + "/model: " + RehearsalException.firstLine(e.getMessage(), "null"),
          "point models." + role + ".path at a folder holding model/ (ALSModel.write().save), users/ (user_id, u) and "
              + "items/ (item_id, i) as Parquet", e);
    }
    try {
      return new AlsRanker.Trained(model, spark.read().parquet(path + "/users"), spark.read().parquet(path + "/items"));
    } catch (Exception e) {
      throw RehearsalException.invalidInput("Cannot load the id mappings of the " + role + " model from " + path,
          RehearsalException.firstLine(e.getMessage(), "null"),
          "write users/ (user_id STRING, u INT) and items/ (item_id STRING, i INT) as Parquet next to model/", e);
    }
  }
}
