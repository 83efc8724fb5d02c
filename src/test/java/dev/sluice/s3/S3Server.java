package dev.sluice.s3;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStore;
import org.jclouds.blobstore.BlobStoreContext;
import org.jclouds.blobstore.domain.Blob;
import org.jclouds.blobstore.domain.StorageMetadata;
import org.jclouds.blobstore.options.ListContainerOptions;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One S3 server per test JVM, on loopback: s3proxy in front of jclouds' in-memory blob store.
 *
 * <p>One per JVM because the AWS SDK reads its endpoint and credentials from system properties (the
 * standard provider chain, as users configure it) and the S3 file-system provider caches a client
 * per bucket: a second server on another port would not be seen. Each test takes a bucket of its
 * own ({@link #newBucket}). JUnit closes the server when the whole run ends.
 *
 * <p>Thread-safe.
 */
public final class S3Server implements ExtensionContext.Store.CloseableResource, AutoCloseable {
  static final String ACCESS_KEY = "sluice-test-access";
  static final String SECRET_KEY = "sluice-test-secret";

  private static final AtomicInteger buckets = new AtomicInteger();

  private final BlobStoreContext context;
  private final S3Proxy proxy;

  private S3Server() throws Exception {
    context =
        ContextBuilder.newBuilder("transient")
            .credentials("identity", "credential")
            .build(BlobStoreContext.class);
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:0"))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
            // The SDK sends headers s3proxy does not know (x-amz-checksum-mode): ignore, not 501.
            .ignoreUnknownHeaders(true)
            .jettyMaxThreads(16)
            .build();
    proxy.start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!AbstractLifeCycle.STARTED.equals(proxy.getState())) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
      }
      Thread.onSpinWait();
    }
  }

  /** The JVM's server, started on first use, with the SDK's system properties pointing at it. */
  public static S3Server get(ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.GLOBAL)
        .getOrComputeIfAbsent(
            S3Server.class,
            k -> {
              try {
                S3Server s = new S3Server();
                s.configureClients();
                return s;
              } catch (Exception e) {
                throw new IllegalStateException("cannot start the S3 test server", e);
              }
            },
            S3Server.class);
  }

  /**
   * What a user sets to reach an S3-compatible server (as environment variables, the same names in
   * upper case): the standard credential chain, a region, the endpoint and path-style addressing.
   * The checksum settings are for s3proxy 2.6, which does not take the SDK's streaming checksums.
   */
  private void configureClients() {
    Map<String, String> props =
        Map.of(
            "aws.accessKeyId", ACCESS_KEY,
            "aws.secretAccessKey", SECRET_KEY,
            "aws.region", "us-east-1",
            "aws.endpointUrl", endpoint().toString(),
            "s3.spi.force-path-style", "true",
            "aws.requestChecksumCalculation", "WHEN_REQUIRED",
            "aws.responseChecksumValidation", "WHEN_REQUIRED");
    props.forEach(System::setProperty);
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + proxy.getPort());
  }

  /** A new, empty bucket. */
  public String newBucket() {
    String name = "bucket-" + buckets.incrementAndGet();
    context.getBlobStore().createContainerInLocation(null, name);
    return name;
  }

  public BlobStore store() {
    return context.getBlobStore();
  }

  /** Puts an object. */
  public void put(String bucket, String key, byte[] content) {
    BlobStore s = store();
    s.putBlob(bucket, s.blobBuilder(key).payload(content).contentLength(content.length).build());
  }

  public void put(String bucket, String key, String content) {
    put(bucket, key, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Every object of {@code bucket}: key to content. */
  public Map<String, byte[]> objects(String bucket) {
    java.util.TreeMap<String, byte[]> out = new java.util.TreeMap<>();
    BlobStore s = store();
    for (StorageMetadata m : s.list(bucket, ListContainerOptions.Builder.recursive())) {
      if (m.getName().endsWith("/")) {
        continue; // a directory marker
      }
      Blob b = s.getBlob(bucket, m.getName());
      try (var in = b.getPayload().openStream()) {
        out.put(m.getName(), in.readAllBytes());
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return out;
  }

  /** The objects of {@code bucket} under {@code prefix}: key without the prefix to content. */
  public Map<String, byte[]> objects(String bucket, String prefix) {
    java.util.TreeMap<String, byte[]> out = new java.util.TreeMap<>();
    objects(bucket)
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
              }
            });
    return out;
  }

  @Override
  public void close() throws Exception {
    proxy.stop();
    context.close();
  }
}
