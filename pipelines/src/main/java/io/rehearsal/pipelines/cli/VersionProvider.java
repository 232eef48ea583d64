package io.rehearsal.pipelines.cli;

import picocli.CommandLine;

/** Prints Rehearsal's version with the Spark and Java it runs on. */
public final class VersionProvider implements CommandLine.IVersionProvider {
  @Override
  public String[] getVersion() {
    String version = RehearsalCli.class.getPackage().getImplementationVersion();
    return new String[] {
        "rehearsal " + (version == null ? "dev" : version),
        "spark " + org.apache.spark.package$.MODULE$.SPARK_VERSION() + ", java " + System.getProperty("java.version")
    };
  }
}
