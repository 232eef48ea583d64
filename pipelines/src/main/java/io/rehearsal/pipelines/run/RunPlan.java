package io.rehearsal.pipelines.run;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.delta.tables.DeltaTable;
import io.rehearsal.pipelines.io.TableSource;
import io.rehearsal.pipelines.manifest.FeatureSet;
import io.rehearsal.pipelines.manifest.Manifest;
import io.rehearsal.pipelines.manifest.SecretRules;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import scala.collection.JavaConverters;

/**
 * The pre-registration entry of a run, written before any result exists: the manifest (content and
 * SHA-256), the gates and thresholds it declares, seeds, the code, the inputs with their pinned Delta
 * versions, the runtime versions and the Spark configuration with secrets redacted.
 */
public final class RunPlan {

  public static final String REDACTED = "*** redacted ***";
  private static final Set<String> PER_PROCESS = Set.of("spark.app.id", "spark.app.startTime", "spark.app.submitTime",
      "spark.driver.host", "spark.driver.port", "spark.executor.id", "spark.sql.execution.id", "spark.jars",
      "spark.repl.local.jars", "spark.app.initial.jar.urls", "spark.submit.pyFiles", "spark.driver.extraJavaOptions");

  private RunPlan() {}

  public static ObjectNode build(SparkSession spark, Manifest manifest, String manifestText, FeatureSet featureSet,
      Map<String, TableSource> pinned, RunWorkspace workspace, String registeredAt) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode plan = f.objectNode();
    plan.put("run_id", workspace.runId());
    plan.put("registered_at", registeredAt);
    ObjectNode m = plan.putObject("manifest");
    m.put("file", RunWorkspace.absolute(manifest.file()));
    m.put("name", manifest.name());
    m.put("sha256", manifest.sha256());
    m.put("content", manifestText);
    plan.put("lake", RunWorkspace.absolute(manifest.lake()));
    plan.put("warehouse", workspace.warehouse());
    plan.put("workspace", workspace.root());
    ArrayNode steps = plan.putArray("steps");
    RunStep.labels().forEach(steps::add);
    ObjectNode seeds = plan.putObject("seeds");
    manifest.segments().forEach(s -> seeds.put(s.name(), s.sampling().seed()));
    plan.set("gates", manifest.content().get("gates"));
    ObjectNode thresholds = plan.putObject("thresholds");
    thresholds.set("evaluation", manifest.content().get("evaluation"));
    thresholds.set("parity", manifest.content().path("features").get("parity"));
    thresholds.set("drift", manifest.content().get("drift"));
    thresholds.set("simulation", manifest.content().get("simulation"));
    thresholds.set("models", manifest.content().get("models"));
    if (featureSet != null) {
      ObjectNode fs = plan.putObject("feature_set");
      fs.put("id", featureSet.id());
      fs.put("source", featureSet.source());
    }
    ObjectNode code = plan.putObject("code");
    Properties git = gitProperties();
    String version = RunPlan.class.getPackage().getImplementationVersion();
    code.put("version", version == null ? "dev" : version);
    code.put("commit", git.getProperty("git.commit.id", "unknown"));
    code.put("dirty", Boolean.parseBoolean(git.getProperty("git.dirty", "false")));
    code.put("commit_time", git.getProperty("git.commit.time"));
    ArrayNode inputs = plan.putArray("inputs");
    pinned.forEach((name, s) -> {
      ObjectNode in = inputs.addObject();
      in.put("name", name);
      in.put("path", RunWorkspace.absolute(s.path()));
      in.put("format", s.format());
      if (s.version() == null) {
        in.putNull("version");
      } else {
        in.put("version", s.version());
      }
    });
    ObjectNode runtime = plan.putObject("runtime");
    runtime.put("spark", spark.version());
    runtime.put("delta", deltaVersion());
    runtime.put("scala", scala.util.Properties.versionNumberString());
    runtime.put("java", System.getProperty("java.version"));
    runtime.put("java_vendor", System.getProperty("java.vendor"));
    ObjectNode conf = plan.putObject("spark_conf");
    redactedConf(spark).forEach(conf::put);
    return plan;
  }

  /** The session's Spark configuration without per-process values, secrets replaced by {@link #REDACTED}. */
  public static Map<String, String> redactedConf(SparkSession spark) {
    Map<String, String> out = new TreeMap<>();
    // The session's conf: the context's settings plus what was set on the session at runtime.
    for (Map.Entry<String, String> kv : JavaConverters.mapAsJavaMap(spark.conf().getAll()).entrySet()) {
      if (!PER_PROCESS.contains(kv.getKey())) {
        out.put(kv.getKey(), redact(kv.getKey(), kv.getValue()));
      }
    }
    return out;
  }

  static String redact(String key, String value) {
    return SecretRules.SECRET_KEY.matcher(key).find() ? REDACTED : value;
  }

  static Properties gitProperties() {
    Properties p = new Properties();
    try (InputStream in = RunPlan.class.getResourceAsStream("/rehearsal-git.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // No commit information: recorded as unknown.
    }
    return p;
  }

  /**
   * Delta's version: its jar's manifest says it, but the application jar (one shaded jar) keeps only one manifest, so
   * there it comes from Delta's own constant, {@code io.delta.VERSION} (a Scala package object, which Java cannot
   * name in source: "package" is a keyword).
   */
  public static String deltaVersion() {
    String v = DeltaTable.class.getPackage().getImplementationVersion();
    if (v != null) {
      return v;
    }
    try {
      return String.valueOf(Class.forName("io.delta.package").getMethod("VERSION").invoke(null));
    } catch (ReflectiveOperationException e) {
      return "unknown";
    }
  }
}
