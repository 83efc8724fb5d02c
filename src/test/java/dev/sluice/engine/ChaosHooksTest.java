package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded chaos: the same seed and thread name give the same decisions; the wrapped hooks still run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChaosHooksTest {
  @Test
  void shouldMakeTheSameDecisionsForTheSameSeedAndThreadName() throws Exception {
    List<ChaosHooks.Action> first = decisions(new ChaosHooks(99), "sluice-reader-1");
    List<ChaosHooks.Action> again = decisions(new ChaosHooks(99), "sluice-reader-1");
    List<ChaosHooks.Action> otherThread = decisions(new ChaosHooks(99), "sluice-writer-1");
    List<ChaosHooks.Action> otherSeed = decisions(new ChaosHooks(100), "sluice-reader-1");

    assertThat(again).isEqualTo(first);
    assertThat(otherThread).isNotEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
    assertThat(first)
        .contains(ChaosHooks.Action.NOTHING, ChaosHooks.Action.YIELD, ChaosHooks.Action.PAUSE);
  }

  @Test
  void shouldCallTheWrappedHooksAndLetTheirFailurePropagate() throws Exception {
    IOException injected = new IOException("injected");
    List<String> seen = new ArrayList<>();
    ChaosHooks h =
        new ChaosHooks(
            7,
            (point, fileId, seq) -> {
              seen.add(point + "/" + fileId + "/" + seq);
              if (seq == 2) {
                throw injected;
              }
            });

    h.at(EngineHooks.Point.WRITER_TAKE, 1, 0);
    h.at(EngineHooks.Point.WRITER_TAKE, 1, 1);

    assertThatThrownBy(() -> h.at(EngineHooks.Point.WRITER_TAKE, 1, 2)).isSameAs(injected);
    assertThat(seen).containsExactly("WRITER_TAKE/1/0", "WRITER_TAKE/1/1", "WRITER_TAKE/1/2");
  }

  /** 200 decisions made on a fresh thread named {@code name}. */
  private static List<ChaosHooks.Action> decisions(ChaosHooks h, String name)
      throws InterruptedException {
    List<ChaosHooks.Action> out = new ArrayList<>();
    AtomicReference<Throwable> failed = new AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < 200; i++) {
                  out.add(h.nextAction());
                }
              } catch (Throwable e) {
                failed.set(e);
              }
            },
            name);
    t.start();
    t.join(TimeUnit.SECONDS.toMillis(20));
    assertThat(t.isAlive()).as("decision thread ended").isFalse();
    assertThat(failed.get()).isNull();
    return out; // join() publishes the list
  }
}
