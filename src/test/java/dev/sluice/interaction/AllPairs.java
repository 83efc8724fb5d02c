package dev.sluice.interaction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A seeded greedy all-pairs (pairwise) covering in the style of AETG: every pair of values of two
 * dimensions that some valid case can hold appears in at least one case. Each new case starts from
 * a random uncovered pair and fills the other dimensions, in random order, with the value that
 * covers the most uncovered pairs with what is already chosen; of several such candidates the best
 * is kept. A pair no valid case can hold (the constraints forbid it) is not required.
 *
 * <p>The same dimensions, constraints and seed give the same cases. Not thread-safe: one instance
 * per generation.
 */
final class AllPairs {
  private static final int CANDIDATES = 24;

  private final List<Class<? extends Enum<?>>> dims;
  private final Predicate<Case> allowed;
  private final Random rnd;

  /**
   * @param allowed false for a (partial) case that breaks a constraint among its assigned values
   */
  AllPairs(List<Class<? extends Enum<?>>> dims, Predicate<Case> allowed, long seed) {
    this.dims = dims;
    this.allowed = allowed;
    this.rnd = new Random(seed);
  }

  private Enum<?>[] values(int d) {
    return dims.get(d).getEnumConstants();
  }

  private static long key(int d1, int v1, int d2, int v2) {
    return (((long) d1 * 16 + v1) * 64 + d2) * 16 + v2;
  }

  /** The cases: all pairs covered, every case complete and allowed. */
  List<Case> generate() {
    int n = dims.size();
    Set<Long> uncovered = new LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        for (Enum<?> a : values(i)) {
          for (Enum<?> b : values(j)) {
            Case c = new Case();
            c.values[i] = a;
            c.values[j] = b;
            if (completable(c)) {
              uncovered.add(key(i, a.ordinal(), j, b.ordinal()));
            }
          }
        }
      }
    }
    List<Case> out = new ArrayList<>();
    while (!uncovered.isEmpty()) {
      List<Long> open = new ArrayList<>(uncovered);
      Case best = null;
      int bestScore = -1;
      for (int k = 0; k < CANDIDATES; k++) {
        Case c = candidate(open.get(rnd.nextInt(open.size())), uncovered);
        int score = covered(c, uncovered).size();
        if (score > bestScore) {
          best = c;
          bestScore = score;
        }
      }
      if (best == null || bestScore == 0) {
        throw new IllegalStateException(
            "all-pairs generation made no progress: " + uncovered.size() + " pairs left");
      }
      uncovered.removeAll(covered(best, uncovered));
      out.add(best);
    }
    return out;
  }

  private Case candidate(long pair, Set<Long> uncovered) {
    int v2 = (int) (pair % 16);
    int d2 = (int) (pair / 16 % 64);
    int v1 = (int) (pair / 16 / 64 % 16);
    int d1 = (int) (pair / 16 / 64 / 16);
    Case c = new Case();
    c.values[d1] = values(d1)[v1];
    c.values[d2] = values(d2)[v2];
    List<Integer> order = new ArrayList<>();
    for (int d = 0; d < dims.size(); d++) {
      if (c.values[d] == null) {
        order.add(d);
      }
    }
    Collections.shuffle(order, rnd);
    for (int d : order) {
      List<Enum<?>> vs = new ArrayList<>(List.of(values(d)));
      Collections.shuffle(vs, rnd);
      Enum<?> chosen = null;
      int chosenScore = -1;
      for (Enum<?> v : vs) {
        c.values[d] = v;
        if (!completable(c)) {
          continue;
        }
        int score = 0;
        for (int e = 0; e < dims.size(); e++) {
          if (e != d && c.values[e] != null) {
            long k =
                e < d
                    ? key(e, c.values[e].ordinal(), d, v.ordinal())
                    : key(d, v.ordinal(), e, c.values[e].ordinal());
            if (uncovered.contains(k)) {
              score++;
            }
          }
        }
        if (score > chosenScore) {
          chosen = v;
          chosenScore = score;
        }
      }
      if (chosen == null) {
        throw new IllegalStateException(
            "no value of " + dims.get(d).getSimpleName() + " fits " + c);
      }
      c.values[d] = chosen;
    }
    return c;
  }

  private Set<Long> covered(Case c, Set<Long> uncovered) {
    Set<Long> s = new LinkedHashSet<>();
    for (int i = 0; i < dims.size(); i++) {
      for (int j = i + 1; j < dims.size(); j++) {
        long k = key(i, c.values[i].ordinal(), j, c.values[j].ordinal());
        if (uncovered.contains(k)) {
          s.add(k);
        }
      }
    }
    return s;
  }

  /** Whether the unassigned dimensions of {@code c} can be filled so that the case is allowed. */
  private boolean completable(Case c) {
    if (!allowed.test(c)) {
      return false;
    }
    for (int d = 0; d < dims.size(); d++) {
      if (c.values[d] == null) {
        for (Enum<?> v : values(d)) {
          c.values[d] = v;
          boolean ok = completable(c);
          c.values[d] = null;
          if (ok) {
            return true;
          }
        }
        return false;
      }
    }
    return true;
  }
}
