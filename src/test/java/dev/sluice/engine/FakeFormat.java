package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An engine-test format independent of the real ones: each input line is a record with one column
 * {@code v}; an empty file has no columns. Files can be cut into several splits (by record index:
 * split {@code i} of {@code n} reads records {@code [i*r/n, (i+1)*r/n)}). Hooks let a test gate the
 * opening of a split, observe records being read, or fail on a given record.
 *
 * <p>Thread-safe as the SPI requires: readers keep their state in their own instance.
 */
class FakeFormat implements InputFormatProvider, OutputFormatProvider {
  static final Columns COLUMNS = Columns.of("v");

  /** Called by a reader thread; may block or throw. */
  interface Hook {
    void at(Split split, long record) throws Exception;
  }

  private final int splitsPerFile;
  volatile Hook onOpen = (s, r) -> {};
  volatile Hook onRecord = (s, r) -> {};

  /** Report lines relative to the split's start, like a reader of a byte range would. */
  volatile boolean relativeLines;

  /** Give each record's text as its raw text (what a reject row's {@code raw} column holds). */
  volatile boolean rawText;

  FakeFormat(int splitsPerFile) {
    this.splitsPerFile = splitsPerFile;
  }

  @Override
  public List<Split> plan(InputFile file) throws IOException {
    long records = Files.readAllLines(file.path(), StandardCharsets.UTF_8).size();
    List<Split> out = new ArrayList<>();
    for (int i = 0; i < splitsPerFile; i++) {
      out.add(
          new Split(
              file,
              i,
              splitsPerFile,
              i * records / splitsPerFile,
              (i + 1) * records / splitsPerFile));
    }
    return out;
  }

  @Override
  public RecordReader open(Split split) throws IOException {
    List<String> lines = Files.readAllLines(split.file().path(), StandardCharsets.UTF_8);
    try {
      onOpen.at(split, -1);
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e);
    }
    boolean empty = Files.size(split.file().path()) == 0;
    return new RecordReader() {
      long index = split.start() - 1;
      long number;

      @Override
      public @Nullable Columns columns() {
        return empty ? null : COLUMNS;
      }

      @Override
      public boolean next() throws IOException {
        if (index + 1 >= Math.min(split.end(), lines.size())) {
          return false;
        }
        index++;
        number++;
        try {
          onRecord.at(split, index);
        } catch (IOException | RuntimeException e) {
          throw e;
        } catch (Exception e) {
          throw new IOException(e);
        }
        return true;
      }

      @Override
      public String[] values() {
        return new String[] {lines.get((int) index)};
      }

      @Override
      public @Nullable String rawText() {
        return rawText && index >= 0 && index < lines.size() ? lines.get((int) index) : null;
      }

      @Override
      public long line() {
        return relativeLines ? index - split.start() + 1 : index + 1;
      }

      @Override
      public long linesBefore() {
        // One line per record and no header: the split's first record index.
        return relativeLines ? split.start() : 0;
      }

      @Override
      public long linesRead() {
        return relativeLines ? number : -1;
      }

      @Override
      public long recordNumber() {
        return number;
      }

      @Override
      public long byteOffset() {
        return -1;
      }

      @Override
      public int charLength() {
        return lines.get((int) index).length() + 1;
      }

      @Override
      public long bytesRead() {
        return 0;
      }

      @Override
      public void close() {}
    };
  }

  @Override
  public RecordFormatter newFormatter() {
    return new RecordFormatter() {
      @Override
      public void header(Columns columns, StringBuilder out) {
        out.append(String.join(",", columns.names())).append('\n');
      }

      @Override
      public void record(Row row, StringBuilder out) {
        for (int i = 0; i < row.size(); i++) {
          if (i > 0) {
            out.append(',');
          }
          out.append(row.get(i));
        }
        out.append('\n');
      }
    };
  }

  @Override
  public Charset charset() {
    return StandardCharsets.UTF_8;
  }

  @Override
  public boolean gzip() {
    return false;
  }

  @Override
  public String outputName(String inputRelativeName) {
    return inputRelativeName;
  }
}
