package io.rehearsal.pipelines.evaluation;

/**
 * Interleaving and shadow comparison of the two models' lists in one segment. Interleaving counts the
 * evaluated users whose held-out interactions favour the candidate's picks (wins), the baseline's
 * (losses) or neither (ties); the preference is wins / (wins + losses) and the sign test's two-sided
 * p-value is binomial(wins + losses, ½). Shadow statistics average over scored users; the score shift is
 * the Kolmogorov–Smirnov distance between the two models' top-k score distributions (meaningful when the
 * models score on the same scale).
 */
public record SegmentComparison(String segment, int depth, long wins, long losses, long ties, Double preference,
    double signTestP, long users, Double overlap, Double jaccard, Double rbo, Double kendallTau, Double scoreKs,
    Double baselineScoreMedian, Double candidateScoreMedian) {}
