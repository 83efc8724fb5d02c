package dev.sluice.engine;

import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import dev.sluice.api.Verdict;
import java.util.List;
import java.util.Locale;

/**
 * Names the stage that limited a run from where the stages spent their time, and suggests thread
 * counts. Pure function of the {@link StageStats}, so tests build the three classic cases (reader-,
 * transformer-, writer-bound) from numbers, without clocks or threads.
 *
 * <p>The rule: a pipeline runs at the pace of its slowest stage. That stage is busy most of the
 * time, the stage before it waits to hand on (a full queue or the budget), and the stage after it
 * waits for input. The verdict picks the stage with the highest busy share and reports the upstream
 * and downstream waits as evidence. Suggested threads split the same total in proportion to each
 * stage's busy time (its demand), at least one each.
 *
 * <p>Thread-safe: stateless.
 */
final class Verdicts {
  /** Runs whose stages were busy less than this in total are too short to judge. */
  static final long MIN_BUSY_NANOS = 20_000_000L;

  private Verdicts() {}

  static Verdict judge(List<StageStats> stages, int totalThreads) {
    StageStats r = find(stages, Stage.READER);
    StageStats t = find(stages, Stage.TRANSFORMER);
    StageStats w = find(stages, Stage.WRITER);
    long demand = r.busyNanos() + t.busyNanos() + w.busyNanos();
    if (demand < MIN_BUSY_NANOS) {
      return new Verdict(
          null, "stages busy " + ms(demand) + " in all", r.threads(), t.threads(), w.threads());
    }
    StageStats top = r;
    for (StageStats s : List.of(t, w)) {
      if (s.busyShare() > top.busyShare()) {
        top = s;
      }
    }
    // Evidence: the top stage's busy share, then how the others spent their time, upstream first.
    StringBuilder e = new StringBuilder();
    e.append(name(top)).append(' ').append(pct(top.busyShare())).append(" busy");
    for (StageStats s : List.of(r, t, w)) {
      if (s != top) {
        e.append("; ").append(name(s));
        if (s.waitOutputShare() >= s.waitInputShare()) {
          e.append(" waited to hand on ").append(pct(s.waitOutputShare()));
        } else {
          e.append(" waited for input ").append(pct(s.waitInputShare()));
        }
      }
    }
    int budget = Math.max(3, totalThreads);
    int[] n = new int[3];
    long[] d = {r.busyNanos(), t.busyNanos(), w.busyNanos()};
    int given = 0;
    for (int i = 0; i < 3; i++) {
      n[i] = Math.max(1, (int) Math.round((double) budget * d[i] / demand));
      given += n[i];
    }
    // Rounding and the minimum of one may overshoot: take back from the largest share.
    while (given > budget) {
      int max = n[0] >= n[1] && n[0] >= n[2] ? 0 : n[1] >= n[2] ? 1 : 2;
      if (n[max] == 1) {
        break;
      }
      n[max]--;
      given--;
    }
    return new Verdict(top.stage(), e.toString(), n[0], n[1], n[2]);
  }

  private static StageStats find(List<StageStats> stages, Stage s) {
    for (StageStats st : stages) {
      if (st.stage() == s) {
        return st;
      }
    }
    return new StageStats(s, 0, 0, 0, 0, 0);
  }

  private static String name(StageStats s) {
    return s.stage().label() + "s";
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.0f%%", 100 * share);
  }

  private static String ms(long nanos) {
    return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
