package io.rehearsal.transforms.quality;

/** One statistic of one feature compared with its baseline: a result as data; the caller decides. */
public record ParityCheck(String column, Statistic statistic, Double testbed, Double baseline, Bound tolerance,
    Status status, String message) {

  public enum Status { PASS, FAIL }

  public boolean passed() {
    return status == Status.PASS;
  }
}
