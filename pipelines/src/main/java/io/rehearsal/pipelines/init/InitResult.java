package io.rehearsal.pipelines.init;

import java.util.List;
import java.util.Objects;

/**
 * What {@code rehearsal init} wrote.
 *
 * @param kind {@code mapping} or {@code manifest}
 * @param file the written file
 * @param saltFile the salt file beside a manifest (new or kept), null for a mapping
 * @param summaryLines what the command prints: the guesses or derived dates, and the next command
 */
public record InitResult(String runId, String kind, String file, String saltFile, List<String> summaryLines) {

  public InitResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(file, "file");
    summaryLines = List.copyOf(summaryLines);
  }
}
