package io.rehearsal.transforms.ranking;

import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * What the per-user metrics need to know about items, shipped to executors: prices (price-weighted NDCG),
 * each item's share of training interactions (novelty; unseen items use {@code floorShare}) and the new
 * SKUs (launched shortly before the cutoff).
 */
public record ItemStats(Map<String, Double> price, Map<String, Double> popularityShare, double floorShare,
    Set<String> newSkus) implements Serializable {}
