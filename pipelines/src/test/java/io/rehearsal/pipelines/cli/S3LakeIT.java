package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Lake and warehouse on a real S3-compatible server (moto's, on loopback, installed from PyPI by
 * bin/s3-test-server): generate → snapshot → features → record through bin/rehearsal --profile s3, then the
 * record, report, summary and logs are read back and must not hold the credentials.
 */
public class S3LakeIT {

  private static final String BUCKET = "rehearsal-it";
  private static final String ACCESS_KEY = "AKIAREHEARSALS3IT";
  private static final String SECRET_KEY = "s3it-Secret-9f1c7d2e";
  /** A salt handed to the driver through Spark conf (as SparkSubmitOperator's env_vars do on Kubernetes). */
  private static final String SALT = "s3it-salt-4be0a1";

  @ClassRule public static TemporaryFolder serverDir = new TemporaryFolder();
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static Process server;
  private static String endpoint;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeClass
  public static void startServer() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    endpoint = "http://127.0.0.1:" + port;
    File log = serverDir.newFile("moto.log");
    server = new ProcessBuilder(Launcher.ROOT.resolve("bin/s3-test-server").toString(), String.valueOf(port))
        .redirectErrorStream(true).redirectOutput(log).start();
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (true) {
      try {
        if (send("PUT", "/" + BUCKET).statusCode() == 200) {
          break;
        }
      } catch (IOException notYet) {
        // the server is still starting (or still being installed)
      }
      if (!server.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("the S3 test server did not start on " + endpoint + ":\n" + Files.readString(log.toPath()));
      }
      Thread.sleep(500);
    }
  }

  @AfterClass
  public static void stopServer() {
    if (server != null) {
      server.descendants().forEach(ProcessHandle::destroy);
      server.destroy();
    }
  }

  /** A request to the server; moto accepts any signature, but refuses an unsigned GET of a private object. */
  private static HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(endpoint + path))
        .header("Authorization", "AWS4-HMAC-SHA256 Credential=AKIAREADER/20260101/us-east-1/s3/aws4_request, "
            + "SignedHeaders=host, Signature=0")
        .method(method, HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30)).build();
    return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static String object(String key) throws IOException, InterruptedException {
    HttpResponse<String> response = send("GET", "/" + BUCKET + "/" + key);
    assertEquals(key + ": " + response.body(), 200, response.statusCode());
    return response.body();
  }

  private Outcome rehearsal(String... args) throws IOException, InterruptedException {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_ACCESS_KEY_ID", ACCESS_KEY);
    env.put("AWS_SECRET_ACCESS_KEY", SECRET_KEY);
    env.put("REHEARSAL_S3_ENDPOINT", endpoint);
    env.put("REHEARSAL_S3_REGION", "us-east-1");
    env.put("REHEARSAL_S3_PATH_STYLE", "true");
    env.put("REHEARSAL_S3_SSL", "false");
    String[] line = new String[args.length + 2];
    line[0] = "--profile";
    line[1] = "s3";
    System.arraycopy(args, 0, line, 2, args.length);
    return Launcher.run(temp, env, line);
  }

  private static void assertNoCredentials(String what, String text) {
    assertFalse(what + " holds the secret key", text.contains(SECRET_KEY));
    assertFalse(what + " holds the access key", text.contains(ACCESS_KEY));
    assertFalse(what + " holds the salt", text.contains(SALT));
  }

  /**
   * Spark's event log of the run (one JSON event per line, read line by line): no key and no salt in any plan,
   * job description or setting; the settings that held them shown redacted, the salt's by bin/rehearsal's
   * spark.redaction.regex (Spark's default pattern does not match it); and the snapshot's plans hash with the
   * function that holds the salt, not with a literal of it.
   */
  private static void assertEventLogKeepsThemOut(File folder) throws IOException {
    File[] logs = folder.listFiles();
    assertEquals("one event log in " + folder, 1, logs == null ? 0 : logs.length);
    boolean pseudonymized = false;
    boolean saltRedacted = false;
    boolean keyRedacted = false;
    try (var lines = Files.lines(logs[0].toPath())) {
      for (String line : (Iterable<String>) lines::iterator) {
        assertNoCredentials("the event log", line);
        pseudonymized |= line.contains("pseudonym(");
        saltRedacted |= line.contains("\"spark.kubernetes.driverEnv.REHEARSAL_PSEUDONYM_SALT\":\"*********(redacted)\"");
        keyRedacted |= line.contains("\"spark.hadoop.fs.s3a.secret.key\":\"*********(redacted)\"");
      }
    }
    assertTrue("the event log holds the snapshot's plans", pseudonymized);
    assertTrue("the salt setting, redacted", saltRedacted);
    assertTrue("the secret key setting, redacted", keyRedacted);
  }

  @Test
  public void snapshotFeaturesAndRecordOnS3KeepTheCredentialsOut() throws Exception {
    String lake = "s3a://" + BUCKET + "/lake";
    String warehouse = "s3a://" + BUCKET + "/warehouse";
    Outcome generate = rehearsal("generate", "--seed", "42", "--scale", "1", "--out", lake, "--master", "local[2]");
    assertEquals(generate.stdout() + generate.stderr(), 0, generate.exitCode());
    // The same tables as on a local disk: the generator's content hashes do not depend on the file system.
    assertTrue(generate.stdout(), generate.stdout().contains("users         1,000 rows  " + lake + "/users (Delta version 0, "
        + "content hash 2da50968b751a115aed007eacb1c566e1c64b97fbdec5a5f24475510f260e5eb)"));

    // Keys also passed as Spark conf, the way a careless user might: the record must still not show them. With
    // Spark's event log, which holds every query's plan and the Spark settings.
    File eventLog = temp.newFolder("eventlog");
    Outcome run = rehearsal("run", "pipelines/src/test/resources/s3/s3-features.yaml", "--lake", lake,
        "--warehouse", warehouse, "--run-id", "s3-it", "--salt-file", "conf/demo-salt.txt", "--master", "local[2]",
        "--conf", "spark.hadoop.fs.s3a.access.key=" + ACCESS_KEY, "--conf", "spark.hadoop.fs.s3a.secret.key=" + SECRET_KEY,
        "--conf", "spark.kubernetes.driverEnv.REHEARSAL_PSEUDONYM_SALT=" + SALT,
        "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + eventLog.toURI());
    assertEquals(run.stdout() + run.stderr(), 0, run.exitCode());
    String[] lines = run.stdout().strip().split("\n");
    assertEquals("{\"record\":\"" + warehouse + "/runs/s3-it/record.json\",\"report\":\"" + warehouse
        + "/runs/s3-it/report.html\",\"run_id\":\"s3-it\",\"status\":\"completed\",\"verdict\":\"PASS\"}", lines[lines.length - 1]);
    assertTrue(run.stdout(), run.stdout().contains("  loyalty_members      user  FULL                3      0        648  "
        + warehouse + "/runs/s3-it/features/loyalty_members-"));
    assertNoCredentials("the run's stdout", run.stdout());
    assertNoCredentials("the run's stderr", run.stderr());

    String recordText = object("warehouse/runs/s3-it/record.json");
    assertNoCredentials("record.json", recordText);
    assertNoCredentials("report.html", object("warehouse/runs/s3-it/report.html"));
    assertNoCredentials("summary.md", object("warehouse/runs/s3-it/summary.md"));
    assertNoCredentials("the ledger's first commit", object("warehouse/ledger/_delta_log/00000000000000000000.json"));
    assertEventLogKeepsThemOut(eventLog);

    JsonNode entries = new ObjectMapper().readTree(recordText).path("entries");
    JsonNode plan = entries.get(0).path("body");
    assertEquals("plan", entries.get(0).path("kind").asText());
    assertEquals("*** redacted ***", plan.path("spark_conf").path("spark.hadoop.fs.s3a.secret.key").asText());
    assertEquals("*** redacted ***", plan.path("spark_conf").path("spark.hadoop.fs.s3a.access.key").asText());
    assertEquals("*** redacted ***", plan.path("spark_conf").path("spark.kubernetes.driverEnv.REHEARSAL_PSEUDONYM_SALT").asText());
    assertEquals(endpoint, plan.path("spark_conf").path("spark.hadoop.fs.s3a.endpoint").asText());
    JsonNode events = plan.path("inputs").get(0);
    assertEquals("events", events.path("name").asText());
    assertEquals(lake + "/events", events.path("path").asText());
    assertEquals(0, events.path("version").asLong(-1));
    JsonNode result = entries.get(1).path("body");
    assertEquals("completed", result.path("status").asText());
    List<String> tables = new java.util.ArrayList<>();
    result.path("outputs").forEach(t -> tables.add(t.path("table").asText() + " " + t.path("rows").asLong()));
    assertTrue(tables.toString(), tables.stream().anyMatch(t -> t.matches("features/loyalty_members-\\w+/user_daily 648")));
    assertTrue(tables.toString(), tables.stream().anyMatch(t -> t.equals("snapshots/events 25249")));

    // The ledger on S3 is intact and matches the record file.
    Outcome verify = rehearsal("verify-ledger", "--warehouse", warehouse);
    assertEquals(verify.stdout() + verify.stderr(), 0, verify.exitCode());
    assertTrue(verify.stdout(), verify.stdout().contains("is intact: 2 entries of 1 run(s), hash chain unbroken, 1 record "
        + "file(s) match"));
  }
}
