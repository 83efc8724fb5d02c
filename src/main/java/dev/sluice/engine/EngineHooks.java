package dev.sluice.engine;

/**
 * Test-only points in the stage loops where a test may yield, pause or inject a failure, to shake
 * out interleavings a quiet machine never produces. Production runs use {@link #NONE}, whose calls
 * the JIT removes.
 *
 * <p>Implementations must be thread-safe: every worker calls them.
 */
interface EngineHooks {
  EngineHooks NONE = (point, fileId, seq) -> {};

  /** Where a hook is called. */
  enum Point {
    /** A reader is about to hand a batch to the transformer queue. */
    READER_HANDOFF,
    /** A transformer took a batch. */
    TRANSFORMER_TAKE,
    /** A transformer is about to hand a chunk to a writer queue. */
    TRANSFORMER_HANDOFF,
    /** A writer took a chunk. */
    WRITER_TAKE,
    /** A writer is about to rename a finished file into place. */
    WRITER_COMMIT
  }

  /**
   * Called at {@code point} for the batch {@code seq} of file {@code fileId}. May throw to inject a
   * failure, which the stage reports like any other.
   */
  void at(Point point, int fileId, int seq) throws Exception;
}
