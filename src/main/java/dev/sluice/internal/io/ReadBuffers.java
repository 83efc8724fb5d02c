package dev.sluice.internal.io;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The large buffers of one open text ({@link TextInput}, its decoder and the CSV scanner over it),
 * lent by the opening thread so that a reader thread going through file after file allocates them
 * once instead of once per file (about 224 KB each time, which on files of 100 records outweighed
 * the records themselves; issue #6, figure 6).
 *
 * <p>Each thread keeps one set. {@link #acquire()} lends it if it is free and hands out a fresh set
 * otherwise (a thread with two texts open at once, such as a test, or a header read while a split
 * is open), so that two open texts never share a buffer. {@link Lease#release()} gives the set
 * back; fresh sets are left to the garbage collector. The arrays have fixed sizes and are never
 * replaced by bigger ones, so a huge record cannot make a thread keep a huge buffer (the scanner
 * bounds a record by its size limit, not by its buffer). A thread's set dies with the thread,
 * virtual threads included.
 *
 * <p>Thread-safe: a lease may be released from another thread than the one that acquired it; its
 * arrays must then no longer be used by anyone.
 */
final class ReadBuffers {
  /** Bytes read from the file ahead of decoding. */
  static final int INPUT_BYTES = 64 * 1024;

  /** Bytes waiting for the decoder. */
  static final int DECODE_BYTES = 16 * 1024;

  /** Chars the decoder hands out per fill. */
  static final int DECODE_CHARS = 8 * 1024;

  /** Chars the CSV scanner keeps: records, and the history its parser may go back to. */
  static final int SCAN_CHARS = 64 * 1024;

  private static final ThreadLocal<Holder> HOLDER = ThreadLocal.withInitial(Holder::new);

  private ReadBuffers() {}

  /** Lends the calling thread's set of buffers, or a fresh set if that one is in use. */
  static Lease acquire() {
    Holder holder = HOLDER.get();
    holder.outstanding.incrementAndGet();
    if (holder.lent.compareAndSet(false, true)) {
      if (holder.kept == null) {
        holder.kept = new Buffers();
      }
      return new Lease(holder, holder.kept, true);
    }
    return new Lease(holder, new Buffers(), false);
  }

  /**
   * The leases the calling thread acquired and has not released: for tests that check every path
   * releases what it took.
   */
  static int outstanding() {
    return HOLDER.get().outstanding.get();
  }

  /** One thread's kept set, and whether it is lent out. */
  private static final class Holder {
    final AtomicBoolean lent = new AtomicBoolean();
    final AtomicInteger outstanding = new AtomicInteger();
    @Nullable Buffers kept;
  }

  /** One set of buffers. */
  static final class Buffers {
    final byte[] input = new byte[INPUT_BYTES];
    final byte[] decodeBytes = new byte[DECODE_BYTES];
    final char[] decodeChars = new char[DECODE_CHARS];
    final char[] scanChars = new char[SCAN_CHARS];
  }

  /** The use of one set of buffers by one open text, until {@link #release()}. */
  static final class Lease {
    private final Holder holder;
    private final Buffers buffers;
    private final boolean kept;
    private final AtomicBoolean released = new AtomicBoolean();

    /** Whether the scan buffer has been taken: one scanner per text. */
    private final AtomicBoolean scanTaken = new AtomicBoolean();

    private Lease(Holder holder, Buffers buffers, boolean kept) {
      this.holder = holder;
      this.buffers = buffers;
      this.kept = kept;
    }

    Buffers buffers() {
      return buffers;
    }

    /** Whether the buffers are the thread's kept set (false: a fresh set). */
    boolean kept() {
      return kept;
    }

    /** The scan buffer, the first time; a fresh array after that. */
    char[] takeScanChars() {
      return scanTaken.compareAndSet(false, true) ? buffers.scanChars : new char[SCAN_CHARS];
    }

    /** Gives the buffers back. Idempotent: only the first call counts. */
    void release() {
      if (released.compareAndSet(false, true)) {
        holder.outstanding.decrementAndGet();
        if (kept) {
          holder.lent.set(false);
        }
      }
    }
  }
}
