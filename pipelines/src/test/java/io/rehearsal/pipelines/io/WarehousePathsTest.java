package io.rehearsal.pipelines.io;

import static org.junit.Assert.assertEquals;

import org.junit.Test;

/** One slash between the warehouse and each part, whether or not the warehouse ends with one. */
public class WarehousePathsTest {

  @Test
  public void partsAreJoinedWithOneSlash() {
    assertEquals("/w/drift/demo/features", WarehousePaths.under("/w", "drift", "demo", "features"));
    assertEquals("/w/drift/demo/features", WarehousePaths.under("/w/", "drift", "demo", "features"));
    assertEquals("s3a://bucket/wh/snapshots/index", WarehousePaths.under("s3a://bucket/wh/", "snapshots", "index"));
    // An empty last part leaves the folder's trailing slash, as the result paths printed for a step show it.
    assertEquals("/w/evaluation/demo/", WarehousePaths.under("/w", "evaluation", "demo", ""));
  }
}
