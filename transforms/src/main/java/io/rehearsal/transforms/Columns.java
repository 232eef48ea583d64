package io.rehearsal.transforms;

import java.util.Arrays;
import scala.collection.JavaConverters;
import scala.collection.Seq;

/** Small Java-to-Spark bridges. */
public final class Columns {

  private Columns() {}

  /** Column names as the Scala Seq that Spark's join(other, usingColumns, joinType) takes. */
  public static Seq<String> using(String... names) {
    return JavaConverters.asScalaBuffer(Arrays.asList(names)).toSeq();
  }
}
