package io.rehearsal.transforms.ranking;

import static org.junit.Assert.assertEquals;

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
}
