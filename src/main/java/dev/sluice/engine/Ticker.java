package dev.sluice.engine;

/** A source of nanosecond time, injectable so tests can drive the stage accounting. Thread-safe. */
@FunctionalInterface
interface Ticker {
  Ticker SYSTEM = System::nanoTime;

  long nanos();
}
