package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.Assert;
import org.junit.Test;

/** Team-draft interleaving and list comparison on hand-worked lists. */
public class InterleavingAndShadowTest {

  private static final List<String> A = List.of("a", "b", "c", "d");
  private static final List<String> B = List.of("b", "e", "a", "f");

  @Test
  public void teamDraftTakesEachTeamsBestUnshownItemAndIsDeterministic() {
    TeamDraft.Interleaving one = TeamDraft.interleave(A, B, 4, 5L, "u1");
    TeamDraft.Interleaving two = TeamDraft.interleave(A, B, 4, 5L, "u1");
    assertEquals(one, two);
    assertEquals(4, one.items().size());
    assertEquals(4, new HashSet<>(one.items()).size());
    long fromA = one.team().values().stream().filter("A"::equals).count();
    assertEquals(2, fromA); // picks alternate: each team gets two of four slots
    // Every team's picks are its own best items not shown before, in its own order, whoever picks first.
    for (int u = 0; u < 50; u++) {
      TeamDraft.Interleaving i = TeamDraft.interleave(A, B, 4, 5L, "u" + u);
      assertEquals(List.of("a", "c"), i.items().stream().filter(x -> i.team().get(x).equals("A")).toList());
      assertEquals(List.of("b", "e"), i.items().stream().filter(x -> i.team().get(x).equals("B")).toList());
    }
    // Across users the coin picks both orders.
    long aFirst = java.util.stream.IntStream.range(0, 200)
        .filter(i -> TeamDraft.interleave(A, B, 4, 5L, "u" + i).team().get(
            TeamDraft.interleave(A, B, 4, 5L, "u" + i).items().get(0)).equals("A")).count();
    Assert.assertTrue("A first in " + aFirst + " of 200", aFirst > 70 && aFirst < 130);
  }

  @Test
  public void creditGoesToTheTeamWhosePicksWereInteractedWith() {
    TeamDraft.Interleaving i = new TeamDraft.Interleaving(List.of("a", "b", "c", "e"),
        Map.of("a", "A", "b", "B", "c", "A", "e", "B"));
    assertEquals(TeamDraft.Outcome.CANDIDATE, TeamDraft.credit(i, Map.of("e", 1.0, "b", 3.0, "c", 1.0)));
    assertEquals(TeamDraft.Outcome.BASELINE, TeamDraft.credit(i, Map.of("a", 1.0)));
    assertEquals(TeamDraft.Outcome.TIE, TeamDraft.credit(i, Map.of("a", 1.0, "e", 2.0)));
    assertEquals(TeamDraft.Outcome.TIE, TeamDraft.credit(i, Map.of("zz", 1.0)));
  }

  @Test
  public void listComparisonsByHand() {
    // Top 4: A = a b c d, B = b e a f; shared {a, b}.
    assertEquals(2.0 / 4, ListComparison.overlap(A, B, 4), 1e-12);
    assertEquals(2.0 / 6, ListComparison.jaccard(A, B, 4), 1e-12);
    // Shared items in A's order: a, b; in B: b (0), a (2) → one discordant pair.
    assertEquals(-1.0, ListComparison.kendallTauOnShared(A, B, 4), 1e-12);
    Assert.assertNull(ListComparison.kendallTauOnShared(A, List.of("a", "x"), 4));
    assertEquals(1.0, ListComparison.kendallTauOnShared(A, List.of("a", "x", "c", "d"), 4), 1e-12);
    // RBO, p = 0.9: prefix overlaps X1..X4 = 0, 1, 2, 2.
    double p = 0.9;
    double sum = 0 + 1.0 / 2 * p * p + 2.0 / 3 * p * p * p + 2.0 / 4 * Math.pow(p, 4);
    assertEquals(2.0 / 4 * Math.pow(p, 4) + (1 - p) / p * sum, ListComparison.rankBiasedOverlap(A, B, 4, p), 1e-12);
    assertEquals(1.0, ListComparison.rankBiasedOverlap(A, A, 4, p), 1e-12);
    assertEquals(0.0, ListComparison.rankBiasedOverlap(A, List.of("w", "x", "y", "z"), 4, p), 1e-12);
  }

  @Test
  public void rboOfUnevenListsUsesTheUnevenExtrapolation() {
    // Review edge case 7. A = abc, B = abcde, k = 5, p = 0.9 (Webber et al. 2010, eq. 32): s = 3, l = 5, X_1..5 =
    // 1, 2, 3, 3, 3. Σ X_d/d·p^d = 0.9 + 0.81 + 0.729 + 0.75·0.6561 + 0.6·0.59049 = 3.285369; the uneven term
    // Σ_{d=4,5} X_s (d − s)/(s d) p^d = 3·1/12·0.6561 + 3·2/15·0.59049 = 0.400221; (1 − p)/p · 3.685590 =
    // 0.409510; plus (0/5 + 3/3)·0.9^5 = 0.590490: 1.000000 (B extends A, nothing disagrees). The even-length
    // formula gave 0.7193.
    assertEquals(1.0, ListComparison.rankBiasedOverlap(List.of("a", "b", "c"), List.of("a", "b", "c", "d", "e"), 5,
        0.9), 1e-12);
    // A = ab, B = xayb, k = 4: X_1..4 = 0, 1, 1, 2 (X_s = X_2 = 1). Σ X_d/d·p^d = 0.405 + 0.243 + 0.32805 = 0.976050;
    // uneven: 1·1/6·0.729 + 1·2/8·0.6561 = 0.121500 + 0.164025 = 0.285525; /9 → 0.140175; plus
    // ((2 − 1)/4 + 1/2)·0.6561 = 0.492075: 0.632250.
    assertEquals(0.63225, ListComparison.rankBiasedOverlap(List.of("a", "b"), List.of("x", "a", "y", "b"), 4, 0.9),
        1e-12);
  }

  @Test
  public void interleavingStopsWhenOneListRunsOut() {
    // Review edge case 8 (Radlinski et al. 2008 draft while both lists have items left): A = a1 … a10,
    // B = b1 b2, k = 10. After two picks each, B is exhausted and drafting stops: a5 is never shown, so a user
    // whose only held-out item is a5 is a tie, not a baseline win.
    List<String> a = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      a.add("a" + i);
    }
    // Whichever team the coins let pick first, the draft ends once b1 and b2 are shown: at most a1, a2, b1, b2.
    for (String user : List.of("u1", "u2", "u3", "u4", "u5", "u6")) {
      TeamDraft.Interleaving i = TeamDraft.interleave(a, List.of("b1", "b2"), 10, 5L, user);
      Assert.assertTrue(user + ": " + i.items(), java.util.Set.of("a1", "a2", "b1", "b2").containsAll(i.items()));
      Assert.assertTrue(user + ": " + i.items(), i.items().containsAll(List.of("b1", "b2")) && i.items().size() <= 4);
      assertEquals(user, TeamDraft.Outcome.TIE, TeamDraft.credit(i, java.util.Map.of("a5", 1.0)));
    }
  }

  @Test
  public void twoEmptyListsAreNotComparedAtAll() {
    // Review edge case 10: overlap 0 with Jaccard and RBO 1 for the same pair, all averaged in. Now none of
    // them is defined (null, left out of the segment's means); one empty list against a full one is 0.
    assertEquals(null, ListComparison.overlap(List.of(), List.of(), 5));
    assertEquals(null, ListComparison.jaccard(List.of(), List.of(), 5));
    assertEquals(null, ListComparison.rankBiasedOverlap(List.of(), List.of(), 5, 0.9));
    assertEquals(0.0, ListComparison.overlap(List.of(), List.of("a"), 5), 0);
    assertEquals(0.0, ListComparison.jaccard(List.of(), List.of("a"), 5), 0);
    assertEquals(0.0, ListComparison.rankBiasedOverlap(List.of(), List.of("a"), 5, 0.9), 0);
  }
}
