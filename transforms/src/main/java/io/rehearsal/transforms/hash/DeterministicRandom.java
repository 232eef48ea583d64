package io.rehearsal.transforms.hash;

import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.xxhash64;

import org.apache.spark.sql.Column;

/**
 * Pseudo-random numbers as a pure function of (seed, purpose, key columns): never {@code rand()}, so
 * results do not depend on partitioning, row order, core count or shuffle partitions.
 */
public final class DeterministicRandom {

  private static final long MANTISSA_MASK = (1L << 53) - 1;
  private static final double TWO_POW_53 = (double) (1L << 53);

  private DeterministicRandom() {}

  /** A uniform double in [0, 1) determined by the seed, a purpose label and the key columns. */
  public static Column uniform(long seed, String purpose, Column... keys) {
    return hash64(seed, purpose, keys).bitwiseAND(lit(MANTISSA_MASK)).cast("double").divide(lit(TWO_POW_53));
  }

  /** A uniform integer in [0, bound) determined by the seed, a purpose label and the key columns. */
  public static Column uniformInt(long seed, String purpose, long bound, Column... keys) {
    return org.apache.spark.sql.functions.floor(uniform(seed, purpose, keys).multiply(lit(bound))).cast("long");
  }

  /** The raw 64-bit hash, e.g. for ordering candidates deterministically. */
  public static Column hash64(long seed, String purpose, Column... keys) {
    Column[] all = new Column[keys.length + 2];
    all[0] = lit(seed);
    all[1] = lit(purpose);
    System.arraycopy(keys, 0, all, 2, keys.length);
    return xxhash64(all);
  }
}
