package dev.sluice.internal.io.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A response body read as an {@link InputStream}, with a bound on how long a read waits for the
 * next piece (the JDK's own {@code ofInputStream} waits forever on a server that stalls mid-body).
 * It asks the client for one piece at a time, so at most one piece waits here per stream.
 *
 * <p>Thread-safety: the client's threads call the subscriber methods; one reader thread calls the
 * stream methods. The queue hands the pieces over (and is the happens-before edge); {@link
 * #subscription} is set once in {@code onSubscribe}, before the client delivers anything.
 */
final class BodyStream extends InputStream implements HttpResponse.BodySubscriber<InputStream> {
  private static final Object END = new Object();
  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  private final CompletableFuture<InputStream> body = CompletableFuture.completedFuture(this);
  private final String url;
  private final long timeoutNanos;
  private volatile Flow.@Nullable Subscription subscription;

  // Reader side only.
  private @Nullable List<ByteBuffer> pieces;
  private int piece;
  private ByteBuffer current = EMPTY;
  private long delivered;
  private boolean ended;
  private boolean closed;
  private @Nullable IOException failure;

  BodyStream(String url, Duration timeout) {
    this.url = url;
    this.timeoutNanos = timeout.toNanos();
  }

  // ---- subscriber side (client threads)

  @Override
  public CompletionStage<InputStream> getBody() {
    return body;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    s.request(1);
  }

  @Override
  public void onNext(List<ByteBuffer> item) {
    queue.add(item);
  }

  @Override
  public void onError(Throwable t) {
    queue.add(t);
  }

  @Override
  public void onComplete() {
    queue.add(END);
  }

  // ---- stream side (one reader thread)

  /** Bytes returned by {@link #read} so far. */
  long delivered() {
    return delivered;
  }

  /** Whether the body has ended (all of it was received). */
  boolean ended() {
    return ended;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    int n = read(one, 0, 1);
    return n < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    java.util.Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    if (!next()) {
      return -1;
    }
    int n = Math.min(len, current.remaining());
    current.get(b, off, n);
    delivered += n;
    return n;
  }

  @Override
  public int available() {
    return current.remaining();
  }

  /** Makes {@link #current} hold bytes; false at the end of the body. */
  private boolean next() throws IOException {
    if (closed) {
      throw new IOException("stream closed");
    }
    if (failure != null) {
      throw failure;
    }
    while (!current.hasRemaining()) {
      if (pieces != null && piece < pieces.size()) {
        current = pieces.get(piece++);
        continue;
      }
      if (ended) {
        return false;
      }
      if (pieces != null) {
        pieces = null;
        Flow.Subscription s = subscription;
        if (s != null) {
          s.request(1); // the previous piece is used up: ask for the next one
        }
      }
      Object o;
      try {
        o = queue.poll(timeoutNanos, TimeUnit.NANOSECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread()
            .interrupt(); // the run is stopping: keep the flag for the reader's loop
        InterruptedIOException ie = new InterruptedIOException("interrupted while reading " + url);
        ie.initCause(e);
        throw ie;
      }
      if (o == null) {
        throw fail(
            new HttpTimeoutException(
                String.format(
                    Locale.ROOT,
                    "no data from %s for %d ms after %,d bytes of its body",
                    url,
                    TimeUnit.NANOSECONDS.toMillis(timeoutNanos),
                    delivered)));
      }
      if (o == END) {
        ended = true;
        return false;
      }
      if (o instanceof Throwable) {
        Throwable t = (Throwable) o;
        throw fail(
            new IOException(
                String.format(
                    Locale.ROOT,
                    "connection to %s lost after %,d bytes of its body: %s",
                    url,
                    delivered,
                    t),
                t));
      }
      @SuppressWarnings("unchecked")
      List<ByteBuffer> list = (List<ByteBuffer>) o;
      pieces = list;
      piece = 0;
    }
    return true;
  }

  private IOException fail(IOException e) {
    failure = e;
    cancel();
    return e;
  }

  private void cancel() {
    Flow.Subscription s = subscription;
    if (s != null && !ended) {
      s.cancel(); // the rest of the body is not wanted: the client drops the connection
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      cancel();
      queue.clear();
    }
  }
}
