import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;

/**
 * A deliberately slow HTTP server for the I/O-bound benchmark (bench/http.sh): serves the files of
 * a directory on 127.0.0.1, each response held back by a fixed delay, as a remote object store's
 * latency would. Enough server threads that the server is never what limits concurrency.
 *
 * <p>java bench/SlowServer.java DIR PORT_FILE [DELAY_MS=20] [THREADS=512]; writes the port it
 * listens on to PORT_FILE, then serves until killed.
 */
public final class SlowServer {
  public static void main(String[] args) throws Exception {
    Path root = Path.of(args[0]).toAbsolutePath().normalize();
    Path portFile = Path.of(args[1]);
    long delay = args.length > 2 ? Long.parseLong(args[2]) : 20;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 512;
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
    server.setExecutor(Executors.newFixedThreadPool(threads));
    server.createContext(
        "/",
        ex -> {
          try {
            Thread.sleep(delay);
            Path file = root.resolve(ex.getRequestURI().getPath().substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
              ex.sendResponseHeaders(404, -1);
            } else {
              byte[] body = Files.readAllBytes(file);
              ex.sendResponseHeaders(200, body.length);
              try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            ex.close();
          }
        });
    server.start();
    Path tmp = portFile.resolveSibling(portFile.getFileName() + ".tmp");
    Files.writeString(tmp, Integer.toString(server.getAddress().getPort()));
    Files.move(tmp, portFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }
}
