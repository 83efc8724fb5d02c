package dev.sluice.api.spi;

import java.nio.charset.Charset;

/**
 * Makes formatters and names output files.
 *
 * <p>Thread-safe.
 *
 * @since 0.1
 */
public interface OutputFormatProvider {
  /** A new formatter, for one transformer thread. */
  RecordFormatter newFormatter();

  /** The charset output text is encoded in. */
  Charset charset();

  /** Whether the writer gzip-compresses the output. */
  boolean gzip();

  /**
   * The output file's relative name for an input's relative name: {@code x.csv.gz} becomes {@code
   * x.csv}, or {@code x.jsonl} for JSON Lines output, or {@code x.csv.gz} with gzip output.
   */
  String outputName(String inputRelativeName);
}
