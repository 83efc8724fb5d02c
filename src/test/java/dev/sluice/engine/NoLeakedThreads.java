package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test if any {@code sluice-*} thread is still alive after it: {@code run()} promises that
 * every thread it started has ended when it returns or throws, so no waiting is done here.
 */
final class NoLeakedThreads implements AfterEachCallback {
  @Override
  public void afterEach(ExtensionContext context) {
    assertThat(alive()).as("sluice threads alive after the test").isEmpty();
  }

  static List<String> alive() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("sluice-"))
        .map(Thread::getName)
        .sorted()
        .collect(Collectors.toList());
  }
}
