package dev.sluice.faults;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import java.util.ArrayList;
import java.util.List;

/**
 * A custom step for a child JVM that runs the heap out: it keeps 64 KiB for every row it sees, in a
 * static list that stays reachable after the run failed (like a cache that never forgets), and
 * passes the row on. Public for {@code --step}.
 *
 * <p>Thread-safe: the list is guarded by its own monitor.
 */
public final class HoardingStep implements Step {
  private static final long serialVersionUID = 1L;
  private static final List<byte[]> HOARD = new ArrayList<>();

  @Override
  public void apply(Row row, Emitter out) {
    synchronized (HOARD) {
      HOARD.add(new byte[64 * 1024]);
    }
    out.emit(row);
  }
}
