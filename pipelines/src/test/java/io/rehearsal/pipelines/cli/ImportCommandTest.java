package io.rehearsal.pipelines.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import io.rehearsal.transforms.testing.SparkTestBase;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.Assert;
import org.junit.Test;

/** {@code rehearsal import} end to end through picocli: exit codes and the printed summary. */
public class ImportCommandTest extends SparkTestBase {

  private static final String CSV = String.join("\n",
      "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country",
      "1001,A1,2,2011-01-05 10:00:00,1.50,u1,UK",
      "1001,B2,1,2011-01-05 10:00:00,3.00,u1,UK",
      "C1002,A1,-1,2011-07-05 10:00:00,1.50,u2,FR",
      "1003,A1,1,2011-07-06 11:00:00,1.50,NA,FR",
      "");

  private static final String MAPPING = String.join("\n",
      "name: cli-tiny",
      "source:",
      "  path: cli.csv",
      "  format: csv",
      "  options: {header: \"true\", nullValue: NA}",
      "time_zone: Europe/London",
      "events:",
      "  columns:",
      "    user_id: {source: CustomerID}",
      "    item_id: {source: StockCode}",
      "    event_ts: {source: InvoiceDate, format: \"yyyy-MM-dd HH:mm:ss\"}",
      "    order_id: {source: InvoiceNo}",
      "    quantity: {source: Quantity}",
      "    unit_price: {source: UnitPrice}",
      "  event_types:",
      "    - {when: \"startswith(InvoiceNo, 'C')\", type: return}",
      "    - {when: \"true\", type: purchase}",
      "  quantity_sign: {return: negative}",
      "exclusions:",
      "  - {name: non_positive_price, when: \"try_cast(UnitPrice AS DECIMAL(12,2)) <= 0\"}",
      "");

  private static final class Run {
    int exitCode;
    String out;
    String err;
  }

  private Run cli(String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Run run = new Run();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      run.exitCode = RehearsalCli.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    run.out = out.toString(StandardCharsets.UTF_8);
    run.err = err.toString(StandardCharsets.UTF_8);
    return run;
  }

  @Test
  public void importPrintsEveryCount() throws IOException {
    Path dir = temp.newFolder("cli").toPath();
    Files.writeString(dir.resolve("cli.csv"), CSV);
    Path mapping = dir.resolve("cli.yaml");
    Files.writeString(mapping, MAPPING);
    Path out = temp.getRoot().toPath().resolve("out");

    Run run = cli("import", "--mapping", mapping.toString(), "--out", out.toString(), "--run-id", "cli-run");

    assertEquals(run.err, 0, run.exitCode);
    List<String> lines = Arrays.asList(run.out.split("\n"));
    Assert.assertTrue(run.out, lines.contains("Imported 'cli-tiny' (run cli-run)"));
    Assert.assertTrue(run.out, lines.contains("  rows read:      4"));
    Assert.assertTrue(run.out, lines.contains("  rows kept:      3"));
    Assert.assertTrue(run.out, lines.contains("  rows excluded:  1"));
    Assert.assertTrue(run.out, lines.contains("    missing_user_id: 1"));
    Assert.assertTrue(run.out, lines.contains("    non_positive_price: 0"));
    Assert.assertTrue(run.out, lines.contains("    purchase: 2"));
    Assert.assertTrue(run.out, lines.contains("    return: 1"));
    Assert.assertTrue(run.out, lines.contains("  users:          2"));
    Assert.assertTrue(run.out, lines.contains("  items:          2"));
    Assert.assertTrue(run.out, run.out.contains("    events: " + out.resolve("events") + " (Delta version 0, content hash "));
    Assert.assertTrue(Files.isDirectory(out.resolve("events/_delta_log")));
  }

  @Test
  public void badMappingExitsWithTwoAndWritesNothing() throws IOException {
    Path dir = temp.newFolder("cli-bad").toPath();
    Files.writeString(dir.resolve("cli.csv"), CSV);
    Path mapping = dir.resolve("cli.yaml");
    Files.writeString(mapping, MAPPING.replace("type: return", "type: refund"));
    Path out = temp.getRoot().toPath().resolve("out-bad");

    Run run = cli("import", "--mapping", mapping.toString(), "--out", out.toString());

    assertEquals(RehearsalCli.EXIT_INVALID, run.exitCode);
    assertEquals("error: Mapping " + mapping + ": events.event_types[0].type is not a canonical event type: expected one "
        + "of [view, click, add_to_cart, purchase, return], got 'refund'. Fix: map the source's notion onto one of the "
        + "canonical event types\n", run.err);
    assertFalse(Files.exists(out));
  }

  @Test
  public void mappingIsRequired() {
    Run run = cli("import", "--out", temp.getRoot().toPath().resolve("x").toString());
    assertEquals(RehearsalCli.EXIT_INVALID, run.exitCode);
    Assert.assertTrue(run.err, run.err.startsWith("Missing required option: '--mapping=FILE'"));
  }
}
