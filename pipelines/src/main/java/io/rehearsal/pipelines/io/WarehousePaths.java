package io.rehearsal.pipelines.io;

/** Paths of the tables a step writes under the warehouse: {@code <warehouse>/<part>/<part>/…}. */
public final class WarehousePaths {

  private WarehousePaths() {}

  /** The warehouse path with the parts appended, one slash between each (the warehouse may end with one). */
  public static String under(String warehouse, String... parts) {
    StringBuilder path = new StringBuilder(warehouse.endsWith("/") ? warehouse.substring(0, warehouse.length() - 1)
        : warehouse);
    for (String part : parts) {
      path.append('/').append(part);
    }
    return path.toString();
  }
}
