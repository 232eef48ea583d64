package io.rehearsal.transforms.quality;

/**
 * One statistic of one feature compared with its baseline: a result as data; the caller decides.
 * {@code allowed} is the difference that was accepted: the larger of the declared tolerance and the
 * testbed's sampling noise.
 */
public record ParityCheck(String column, Statistic statistic, Double testbed, Double baseline, Bound tolerance,
    double allowed, Status status, String message) {

  public enum Status { PASS, FAIL }

  public boolean passed() {
    return status == Status.PASS;
  }
}
