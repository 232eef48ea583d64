package io.rehearsal.transforms.testing;

/**
 * JUnit category of the test classes that start (and stop) Spark sessions of their own, e.g. to compare
 * local[1] with local[2]: surefire runs them in a fresh JVM each, away from the shared session.
 */
public interface OwnSparkSession {}
