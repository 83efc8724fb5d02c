package dev.sluice.api;

import java.util.Locale;

/**
 * The stages of a run, as named in {@link PipelineException}s and thread names.
 *
 * @since 0.1
 */
public enum Stage {
  /** Listing the inputs and planning splits. */
  SOURCE,
  /** Opening, decoding and parsing input splits. */
  READER,
  /** Applying steps and formatting output bytes. */
  TRANSFORMER,
  /** Appending bytes to output files and committing them. */
  WRITER,
  /** The thread that called {@code run()}. */
  COORDINATOR;

  /** The lower-case name used in thread names and messages, e.g. {@code reader}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
