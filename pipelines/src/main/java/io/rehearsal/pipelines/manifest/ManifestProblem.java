package io.rehearsal.pipelines.manifest;

/** One problem in a manifest: where (e.g. {@code segments[1].sampling.rate}) and what. */
public record ManifestProblem(String path, String message) {
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
