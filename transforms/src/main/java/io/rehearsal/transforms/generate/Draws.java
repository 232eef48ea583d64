package io.rehearsal.transforms.generate;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.log;
import static org.apache.spark.sql.functions.log1p;
import static org.apache.spark.sql.functions.shiftRight;
import static org.apache.spark.sql.functions.when;

import io.rehearsal.transforms.hash.DeterministicRandom;
import java.util.List;
import org.apache.spark.sql.Column;

/**
 * Distributions over {@link DeterministicRandom} draws, as Spark columns. Every draw is a pure function
 * of (seed, purpose, key columns), so generated data does not depend on partitioning or core count.
 */
final class Draws {

  private static final long MANTISSA_MASK = (1L << 53) - 1;
  private static final double TWO_POW_MINUS_53 = 0x1.0p-53;
  private static final long LOW_31_BITS = (1L << 31) - 1;
  private static final long MAX_BOUND = 1L << 32;

  private final long seed;

  Draws(long seed) {
    this.seed = seed;
  }

  /**
   * Uniform double in [0, 1): the same value as {@link DeterministicRandom#uniform}, but computed with a
   * multiplication by 2^-53 instead of a division so that Spark knows it is never null (the canonical
   * schemas declare event_ts, quantity and the ids NOT NULL).
   */
  Column uniform(String purpose, Column... keys) {
    return DeterministicRandom.hash64(seed, purpose, keys).bitwiseAND(lit(MANTISSA_MASK)).cast("double").multiply(lit(TWO_POW_MINUS_53));
  }

  /**
   * Uniform long in [0, bound), bound at most 2^32: the top of {@code (31 hash bits) * bound}. Integer
   * arithmetic only, so it is never null and never rounds; the bias is below bound / 2^31.
   */
  Column below(String purpose, long bound, Column... keys) {
    if (bound < 1 || bound > MAX_BOUND) {
      throw new IllegalArgumentException("bound must be in [1, 2^32], got " + bound);
    }
    return shiftRight(DeterministicRandom.hash64(seed, purpose, keys).bitwiseAND(lit(LOW_31_BITS)).multiply(lit(bound)), 31);
  }

  /** True with the given probability (a double or a column). */
  Column chance(String purpose, Object probability, Column... keys) {
    return uniform(purpose, keys).lt(lit(probability));
  }

  /** Exp(1)-distributed double, by inversion. */
  Column exponential(String purpose, Column... keys) {
    return log1p(uniform(purpose, keys).multiply(-1)).multiply(-1);
  }

  /** An index in [0, weights.size()) drawn with the given (normalised) weights, by inverse CDF. */
  Column weightedIndex(String purpose, List<Double> weights, Column... keys) {
    return weightedIndex(uniform(purpose, keys), weights);
  }

  static Column weightedIndex(Column u, List<Double> weights) {
    double total = weights.stream().mapToDouble(Double::doubleValue).sum();
    double cumulative = 0;
    Column index = lit(0);
    for (int i = 0; i < weights.size() - 1; i++) {
      cumulative += weights.get(i) / total;
      index = index.plus(when(u.geq(lit(cumulative)), 1).otherwise(0));
    }
    return index;
  }

  /**
   * A popularity rank in [0, n) with P(rank = k) proportional to log((k + 2) / (k + 1)), i.e. about
   * 1 / (k + 1) (Zipf with exponent 1): the log-uniform trick, floor(exp(u * ln(n + 1))) - 1.
   */
  Column zipfRank(String purpose, Column n, Column... keys) {
    Column raw = floor(exp(uniform(purpose, keys).multiply(log(n.plus(1))))).minus(1);
    return least(greatest(raw, lit(0L)), n.minus(1)).cast("long");
  }

  /**
   * A Poisson(lambda) count, truncated at maxCount, by inverse CDF: the number of k below maxCount with
   * u >= P(X <= k), tested as u * e^lambda >= sum_{j <= k} lambda^j / j! with each partial sum in Horner
   * form, so the expression grows with maxCount^2 rather than maxCount^3. Pass lambda as a column
   * reference so it is computed once.
   */
  Column poisson(String purpose, Column lambda, int maxCount, Column... keys) {
    Column scaled = uniform(purpose, keys).multiply(exp(lambda));
    Column count = lit(0);
    for (int k = 0; k < maxCount; k++) {
      Column partialSum = lit(1.0);
      for (int j = k; j >= 1; j--) {
        partialSum = lit(1.0).plus(lambda.divide(j).multiply(partialSum));
      }
      count = count.plus(when(scaled.geq(partialSum), 1).otherwise(0));
    }
    return count;
  }

  /** The element at a 0-based index column of a constant list. */
  static Column lookup(List<?> values, Column index) {
    Column[] literals = values.stream().map(v -> lit(v)).toArray(Column[]::new);
    return element_at(array(literals), index.cast("int").plus(1));
  }
}
