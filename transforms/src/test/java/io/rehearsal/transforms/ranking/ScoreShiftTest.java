package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import org.junit.Test;

/** The score shift of a segment's two models, on hand-worked scores. */
public class ScoreShiftTest {

  @Test
  public void theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleScores() {
    // Review edge case 9: [1, 2, 3, 4] has median 2.5 (the upper median 3 before); [3, 1, 2] has 2.
    ScoreShift s = ScoreShift.of(new double[] {4, 1, 3, 2}, new double[] {3, 1, 2});
    assertEquals(2.5, s.baselineMedian(), 0);
    assertEquals(2.0, s.candidateMedian(), 0);
    // KS by hand: F_b steps 1/4 at 1, 2, 3, 4; F_c 1/3 at 1, 2, 3; the largest gap is after 3: |3/4 − 1| = 0.25.
    assertEquals(0.25, s.ks(), 1e-12);
  }

  @Test
  public void oneScoreOnASideGivesNoDistanceInsteadOfAbortingTheRun() {
    // Review edge case 5: Commons Math's KS needs two values per sample and threw, aborting `evaluate`.
    ScoreShift s = ScoreShift.of(new double[] {0.7}, new double[] {0.1, 0.2, 0.9});
    assertNull(s.ks());
    assertEquals(0.7, s.baselineMedian(), 0);
    assertEquals(0.2, s.candidateMedian(), 0);
    ScoreShift none = ScoreShift.of(new double[0], new double[0]);
    assertNull(none.ks());
    assertNull(none.baselineMedian());
  }
}
