package io.rehearsal.transforms.slicing;

/**
 * A segment's sampling declaration. Exactly one of {@code rate} (share of the eligible population)
 * or {@code size} (number of users) is set. {@code stratifyBy} applies to STRATIFIED; the catalog
 * fields to HEAD_TAIL.
 */
public record SamplingSpec(
    SamplingPolicy policy,
    long seed,
    Double rate,
    Long size,
    String stratifyBy,
    String catalogPart,
    double headItemsShare,
    double minShare) {

  public static final double DEFAULT_HEAD_ITEMS_SHARE = 0.2;
  public static final double DEFAULT_MIN_SHARE = 0.5;
}
