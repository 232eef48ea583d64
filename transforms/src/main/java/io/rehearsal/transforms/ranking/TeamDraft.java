package io.rehearsal.transforms.ranking;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Team-draft interleaving (Radlinski, Kurup and Joachims, 2008) of a baseline list A and a candidate list
 * B for one user, credited by the user's held-out interactions. In each round the team with fewer picks
 * picks first — on a tie a coin decides, derived from (seed, user, round) so the result never depends on
 * execution order — and each team adds its highest-ranked item not yet shown. Drafting stops when either
 * list has no item left to add (the paper's loop condition): the longer list's further items would
 * otherwise all be credited to its team, and a short list would lose users it did not lose.
 */
public final class TeamDraft {

  /** Which list won the user: more credited interactions on its picks. */
  public enum Outcome { BASELINE, CANDIDATE, TIE }

  /** The interleaved list (length ≤ k) and the team of each item ("A" baseline, "B" candidate). */
  public record Interleaving(List<String> items, Map<String, String> team) {}

  private TeamDraft() {}

  public static Interleaving interleave(List<String> a, List<String> b, int k, long seed, String user) {
    List<String> shown = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Map<String, String> team = new LinkedHashMap<>();
    int picksA = 0;
    int picksB = 0;
    int ia = 0;
    int ib = 0;
    int round = 0;
    while (shown.size() < k) {
      while (ia < a.size() && seen.contains(a.get(ia))) {
        ia++;
      }
      while (ib < b.size() && seen.contains(b.get(ib))) {
        ib++;
      }
      boolean aLeft = ia < a.size();
      boolean bLeft = ib < b.size();
      if (!aLeft || !bLeft) {
        break;
      }
      boolean pickA = picksA < picksB || (picksA == picksB && coin(seed, user, round));
      String item = pickA ? a.get(ia) : b.get(ib);
      seen.add(item);
      shown.add(item);
      team.put(item, pickA ? "A" : "B");
      if (pickA) {
        picksA++;
      } else {
        picksB++;
      }
      round += picksA == picksB ? 1 : 0;
    }
    return new Interleaving(shown, team);
  }

  /** A fair coin from (seed, user, round): SplittableRandom's algorithm is fixed by its specification. */
  static boolean coin(long seed, String user, int round) {
    long mixed = seed * 0x9E3779B97F4A7C15L + user.hashCode() * 0xBF58476D1CE4E5B9L + round;
    return new SplittableRandom(mixed).nextDouble() < 0.5;
  }

  /** The outcome for one user: the team with more held-out (relevant) items among its picks. */
  public static Outcome credit(Interleaving interleaving, Map<String, Double> relevance) {
    int creditA = 0;
    int creditB = 0;
    for (Map.Entry<String, String> e : interleaving.team().entrySet()) {
      Double r = relevance.get(e.getKey());
      if (r != null && r > 0) {
        if (e.getValue().equals("A")) {
          creditA++;
        } else {
          creditB++;
        }
      }
    }
    return creditA == creditB ? Outcome.TIE : creditA > creditB ? Outcome.BASELINE : Outcome.CANDIDATE;
  }
}
