package dev.sluice.faults;

import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;

/**
 * A file channel that counts reads, writes, forces and its close, and lets its {@link
 * FaultyFileSystem} fail them. It is a {@link FileChannel} (not just a byte channel) because the
 * engine forces output files only when their channel is one.
 *
 * <p>Not thread-safe beyond what the real channel offers; interrupts are handled by the real
 * channel (an interrupted read closes it, as usual).
 */
final class FaultyChannel extends FileChannel {
  private final FaultyFileSystem fs;
  private final Path path;
  private final FileChannel ch;

  /**
   * A directory's channel (opened to sync it): its force and close count as {@link Op#SYNC_DIR}.
   */
  private final boolean directory;

  FaultyChannel(FaultyFileSystem fs, Path realPath, FileChannel ch, boolean directory) {
    this.fs = fs;
    this.path = realPath;
    this.ch = ch;
    this.directory = directory;
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    fs.check(Op.READ, path);
    return ch.read(dst);
  }

  @Override
  public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
    fs.check(Op.READ, path);
    return ch.read(dsts, offset, length);
  }

  @Override
  public int read(ByteBuffer dst, long position) throws IOException {
    fs.check(Op.READ, path);
    return ch.read(dst, position);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    fs.check(Op.WRITE, path);
    return ch.write(src);
  }

  @Override
  public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
    fs.check(Op.WRITE, path);
    return ch.write(srcs, offset, length);
  }

  @Override
  public int write(ByteBuffer src, long position) throws IOException {
    fs.check(Op.WRITE, path);
    return ch.write(src, position);
  }

  @Override
  public long position() throws IOException {
    return ch.position();
  }

  @Override
  public FileChannel position(long newPosition) throws IOException {
    ch.position(newPosition);
    return this;
  }

  @Override
  public long size() throws IOException {
    return ch.size();
  }

  @Override
  public FileChannel truncate(long size) throws IOException {
    ch.truncate(size);
    return this;
  }

  @Override
  public void force(boolean metaData) throws IOException {
    fs.check(directory ? Op.SYNC_DIR : Op.FORCE, path);
    ch.force(metaData);
  }

  @Override
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    fs.check(Op.READ, path);
    return ch.transferTo(position, count, target);
  }

  @Override
  public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
    fs.check(Op.WRITE, path);
    return ch.transferFrom(src, position, count);
  }

  @Override
  public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
    return ch.map(mode, position, size); // not counted: mapped memory bypasses read and write
  }

  @Override
  public FileLock lock(long position, long size, boolean shared) throws IOException {
    return ch.lock(position, size, shared);
  }

  @Override
  public FileLock tryLock(long position, long size, boolean shared) throws IOException {
    return ch.tryLock(position, size, shared);
  }

  @Override
  protected void implCloseChannel() throws IOException {
    // The descriptor is released whatever close reports, as close(2) does on error.
    try {
      ch.close();
    } finally {
      fs.check(directory ? Op.SYNC_DIR : Op.CLOSE, path);
    }
  }
}
