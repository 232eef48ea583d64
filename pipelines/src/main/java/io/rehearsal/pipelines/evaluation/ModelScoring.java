package io.rehearsal.pipelines.evaluation;

/**
 * The scoring record of one model in one segment: users scored, how many got the model's own list, how
 * many were served by the cold-start fallback and how many got no list at all, rows rejected as failures
 * (unknown items, missing ids, duplicates) and the wall time of training, scoring and writing the lists.
 */
public record ModelScoring(String segment, String role, String kind, String version, long usersScored,
    long usersWithModelList, long usersWithFallback, long usersWithoutList, long failures, String failureDetail,
    double seconds) {

  public double fallbackShare() {
    return usersScored == 0 ? 0 : (double) usersWithFallback / usersScored;
  }
}
