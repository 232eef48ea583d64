package io.rehearsal.pipelines.bench;

import java.util.Locale;

/** Wall time of one benchmark job, printed as it finishes (the commands of {@link BenchCli}). */
final class BenchTimer {

  private BenchTimer() {}

  static double time(String what, Runnable job) {
    long started = System.nanoTime();
    job.run();
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(Locale.ROOT, "bench: %s took %.1fs%n", what, seconds);
    return seconds;
  }
}
