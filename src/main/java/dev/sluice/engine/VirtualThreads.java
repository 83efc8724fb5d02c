package dev.sluice.engine;

import dev.sluice.api.ConfigurationException;
import java.lang.reflect.Method;
import java.util.concurrent.ThreadFactory;

/**
 * Virtual threads without compiling against Java 21: the build targets 17, so {@code
 * Thread.ofVirtual().factory()} is called reflectively.
 *
 * <p>Thread-safe: stateless.
 */
final class VirtualThreads {
  private VirtualThreads() {}

  static boolean available() {
    return Runtime.version().feature() >= 21;
  }

  /** A factory of unstarted virtual threads. */
  static ThreadFactory factory() {
    if (!available()) {
      throw new ConfigurationException(
          "virtual reader threads need Java 21 or newer; this is Java "
              + Runtime.version().feature()
              + ": drop --virtual-readers or run on a newer JDK");
    }
    try {
      Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
      Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
      return (ThreadFactory) factory.invoke(builder);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot create a virtual thread factory", e);
    }
  }

  /** Whether {@code t} is a virtual thread (false before Java 21). */
  static boolean isVirtual(Thread t) {
    if (!available()) {
      return false;
    }
    try {
      return (Boolean) Thread.class.getMethod("isVirtual").invoke(t);
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }
}
