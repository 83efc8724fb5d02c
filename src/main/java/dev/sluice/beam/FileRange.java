package dev.sluice.beam;

import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.Split;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One range of an input file, as the launcher planned it with the local engine's own provider
 * ({@code InputFormatProvider.plan}): an element of the Beam pipeline, so that a worker reads
 * exactly the split a local run reads.
 *
 * <p>Immutable; serializable.
 */
final class FileRange implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The file as an absolute URI ({@link Locations#uri}). */
  final String uri;

  final String relativeName;

  /** The file's size when the launcher listed it: what the ranges were planned on. */
  final long size;

  final int index;
  final int count;
  final long start;
  final long end;

  private FileRange(
      String uri, String relativeName, long size, int index, int count, long start, long end) {
    this.uri = uri;
    this.relativeName = relativeName;
    this.size = size;
    this.index = index;
    this.count = count;
    this.start = start;
    this.end = end;
  }

  static FileRange of(Split s) {
    InputFile f = s.file();
    return new FileRange(
        Locations.uri(f.path()),
        f.relativeName(),
        f.size(),
        s.index(),
        s.count(),
        s.start(),
        s.end());
  }

  Path path() {
    return Locations.path(uri);
  }

  /** The file as the local engine describes it (id 0: the only file of a worker's run). */
  InputFile file() {
    return new InputFile(0, path(), relativeName, size);
  }

  Split split() {
    return new Split(file(), index, count, start, end);
  }

  // Value equality: Beam compares elements by it (SerializableCoder's structural value).
  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof FileRange)) {
      return false;
    }
    FileRange r = (FileRange) o;
    return uri.equals(r.uri)
        && relativeName.equals(r.relativeName)
        && size == r.size
        && index == r.index
        && count == r.count
        && start == r.start
        && end == r.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(uri, relativeName, size, index, count, start, end);
  }

  @Override
  public String toString() {
    return relativeName + " range " + (index + 1) + "/" + count;
  }
}
