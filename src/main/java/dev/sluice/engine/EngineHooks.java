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
    /** The last reader is about to send the end-of-stream markers (fileId and seq are -1). */
    READER_END,
    /** A transformer took a batch. */
    TRANSFORMER_TAKE,
    /** A transformer is about to hand a chunk to a writer queue. */
    TRANSFORMER_HANDOFF,
    /** The last transformer is about to send the end-of-stream markers (fileId and seq are -1). */
    TRANSFORMER_END,
    /** A writer took a chunk. */
    WRITER_TAKE,
    /** A writer is about to rename a finished file into place. */
    WRITER_COMMIT,
    /** The sizer is about to start one more reader or transformer (fileId and seq are -1). */
    SIZER_GROW
  }

  /**
   * Called at {@code point} for the batch {@code seq} of file {@code fileId}. May throw to inject a
   * failure, which the stage reports like any other.
   */
  void at(Point point, int fileId, int seq) throws Exception;
}
