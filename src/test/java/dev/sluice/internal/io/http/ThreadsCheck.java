package dev.sluice.internal.io.http;

import java.util.List;
import java.util.stream.Collectors;

/** Which of our threads are still alive: an HTTP input must leave none behind after close(). */
final class ThreadsCheck {
  private ThreadsCheck() {}

  static List<String> aliveHttpThreads() {
    return alive("sluice-http");
  }

  static List<String> alive(String prefix) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
        .map(Thread::getName)
        .sorted()
        .collect(Collectors.toList());
  }
}
