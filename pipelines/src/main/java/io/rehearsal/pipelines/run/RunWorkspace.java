package io.rehearsal.pipelines.run;

import io.rehearsal.transforms.RehearsalException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where one run lives: {@code <warehouse>/runs/<run id>/} holds its output tables (the steps' warehouse),
 * {@code _state/} (one file per finished step), {@code _scratch/} (removed by teardown), and the record,
 * report and summary. The ledger is shared by all runs of the warehouse.
 */
public final class RunWorkspace {

  private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final String warehouse;
  private final String runId;
  private final RunFiles files;

  public RunWorkspace(RunFiles files, String warehouse, String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      throw RehearsalException.invalidInput("Cannot use run id '" + runId + "'",
          "a run id names a folder: 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit",
          "pass e.g. --run-id pr-1234-attempt-1");
    }
    this.files = files;
    this.warehouse = Ledger.stripSlash(absolute(warehouse));
    this.runId = runId;
  }

  /** A local path made absolute (records must not depend on the directory a run started in); URIs unchanged. */
  public static String absolute(String path) {
    if (path.matches("^[A-Za-z][A-Za-z0-9+.-]*:.*")) {
      return path;
    }
    return Path.of(path).toAbsolutePath().normalize().toString();
  }

  public String runId() {
    return runId;
  }

  public String warehouse() {
    return warehouse;
  }

  public String root() {
    return warehouse + "/runs/" + runId;
  }

  public String scratch() {
    return root() + "/_scratch";
  }

  public String stateFolder() {
    return root() + "/_state";
  }

  public String recordFile() {
    return root() + "/record.json";
  }

  public String reportFile() {
    return root() + "/report.html";
  }

  public String summaryFile() {
    return root() + "/summary.md";
  }

  public boolean exists() {
    return files.exists(root());
  }

  public void save(StepOutcome outcome) {
    files.write(stateFolder() + "/" + outcome.step().label() + ".json", CanonicalJson.pretty(outcome.toJson()));
  }

  /** The saved outcome of a finished step; null when the step has not finished. */
  public StepOutcome outcome(RunStep step) {
    String file = stateFolder() + "/" + step.label() + ".json";
    return files.exists(file) ? StepOutcome.fromJson(CanonicalJson.parse(files.read(file))) : null;
  }

  /** The finished steps, in lifecycle order. */
  public Map<RunStep, StepOutcome> finished() {
    Map<RunStep, StepOutcome> out = new LinkedHashMap<>();
    for (RunStep step : RunStep.values()) {
      StepOutcome outcome = outcome(step);
      if (outcome != null) {
        out.put(step, outcome);
      }
    }
    return out;
  }

  public void delete() {
    files.deleteRecursively(root());
  }
}
