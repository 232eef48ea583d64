package io.rehearsal.pipelines.io;

/** Paths of the tables a step writes under the warehouse ({@code <warehouse>/<part>/<part>/…}) and of given folders. */
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

  /** A folder as given, without the slashes it may end with ("/" stays "/"). */
  public static String withoutTrailingSlash(String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p;
  }
}
