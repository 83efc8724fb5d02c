package dev.sluice.internal.io.http;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A JDK HTTP(S) server on 127.0.0.1 and a free port, for tests: serves fixed bodies by path, or
 * whatever a test's {@link Handler} does, and records every request (path and headers).
 */
public final class LoopbackServer implements AutoCloseable {
  /** What a path does; the count is this path's request number, from 1. */
  public interface Handler {
    void handle(HttpExchange ex, int count) throws Exception;
  }

  /** One request as the server saw it. */
  public record Request(String path, Headers headers) {}

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "test-http-server");
            t.setDaemon(true);
            return t;
          });
  private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();
  public final List<Request> requests = new CopyOnWriteArrayList<>();

  public LoopbackServer() throws IOException {
    this(null);
  }

  LoopbackServer(SSLContext tls) throws IOException {
    InetSocketAddress at = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(at, 64);
    } else {
      HttpsServer s = HttpsServer.create(at, 64);
      s.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = s;
    }
    server.setExecutor(executor);
    server.createContext("/", this::dispatch);
    server.start();
  }

  private void dispatch(HttpExchange ex) throws IOException {
    String path = ex.getRequestURI().getRawPath();
    requests.add(new Request(ex.getRequestURI().toString(), ex.getRequestHeaders()));
    int n = counts.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    Handler h = handlers.get(path);
    try {
      if (h == null) {
        ex.sendResponseHeaders(404, -1);
      } else {
        h.handle(ex, n);
      }
    } catch (Exception e) {
      // The test's handler gave up (a released latch, a closed client): drop the connection.
    } finally {
      ex.close();
    }
  }

  /** Serves {@code body} with status 200 at {@code path}. */
  public LoopbackServer serve(String path, byte[] body) {
    return handle(path, (ex, n) -> send(ex, 200, body));
  }

  public LoopbackServer handle(String path, Handler h) {
    handlers.put(path, h);
    return this;
  }

  public static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream o = ex.getResponseBody()) {
      o.write(body);
    }
  }

  /** Requests to {@code path} so far. */
  public int count(String path) {
    AtomicInteger c = counts.get(path);
    return c == null ? 0 : c.get();
  }

  public URI url(String path) {
    String scheme = server instanceof HttpsServer ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
