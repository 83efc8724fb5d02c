package dev.sluice.cli;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Tells SIGINT from SIGTERM. The JVM runs the same shutdown hooks for both, so a hook alone cannot
 * know which exit code (130 or 143) the run ended with; a handler for each signal records its name
 * and then hands the signal on to the JVM's own handler, which starts the shutdown as before. Only
 * {@link Main#main} installs the handlers: an embedder's process keeps its own.
 *
 * <p>The handlers use {@code sun.misc.Signal} (module {@code jdk.unsupported}) through reflection,
 * so the build has no compile-time tie to it and a runtime without it falls back to what the
 * shutdown hook can tell ({@link #exitCode()}).
 *
 * <p>Thread-safe: the handlers run on the JVM's signal thread and only write a volatile field.
 */
final class Signals {
  /** The name ({@code INT} or {@code TERM}) of the last signal received, or null. */
  private static volatile @Nullable String received;

  /** The signals {@link #install} handles; published by the volatile write. */
  private static volatile Set<String> installed = Set.of();

  private Signals() {}

  /**
   * Installs the recording handlers for INT and TERM where the JVM allows it, and returns the names
   * of the signals handled. A signal the process ignores (as for a command started with {@code
   * nohup}, or in the background of a non-interactive shell) stays ignored.
   */
  static Set<String> install() {
    Set<String> installed = new TreeSet<>();
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Object ignore = handlerClass.getField("SIG_IGN").get(null);
      Object dfl = handlerClass.getField("SIG_DFL").get(null);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Method getName = signalClass.getMethod("getName");
      Method getNumber = signalClass.getMethod("getNumber");
      Method handlerHandle = handlerClass.getMethod("handle", signalClass);
      for (String name : new String[] {"INT", "TERM"}) {
        Object signal;
        try {
          signal = signalClass.getConstructor(String.class).newInstance(name);
        } catch (InvocationTargetException e) {
          continue; // no such signal on this platform
        }
        Chain chain = new Chain(getName, getNumber, handlerHandle, ignore, dfl);
        Object proxy =
            Proxy.newProxyInstance(
                Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, chain);
        Object previous;
        try {
          previous = handle.invoke(null, signal, proxy);
        } catch (InvocationTargetException e) {
          continue; // -Xrs, or the signal is used by the JVM
        }
        if (previous == ignore) {
          handle.invoke(null, signal, ignore);
          continue;
        }
        chain.next = previous;
        installed.add(name);
      }
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      // A runtime without sun.misc: the hook's fallback applies.
    }
    Signals.installed = Set.copyOf(installed);
    return installed;
  }

  /** The signals whose handlers {@link #install} installed (sorted), for the log. */
  static Set<String> installed() {
    return new TreeSet<>(installed);
  }

  /** The exit code for a run stopped by a signal: 130 for SIGINT, 143 for SIGTERM. */
  static int exitCode() {
    String s = received;
    if (s == null) {
      // No handler saw the signal: Ctrl-C is the likely stop with a terminal, kill or a scheduler
      // without one.
      return System.console() != null ? ExitCodes.INTERRUPTED : ExitCodes.TERMINATED;
    }
    return s.equals("INT") ? ExitCodes.INTERRUPTED : ExitCodes.TERMINATED;
  }

  /** How the process was stopped, for messages: {@code SIGINT}, {@code SIGTERM} or a guess. */
  static String describe() {
    String s = received;
    if (s != null) {
      return "SIG" + s;
    }
    return exitCode() == ExitCodes.INTERRUPTED
        ? "a signal (SIGINT assumed)"
        : "a signal (SIGTERM assumed)";
  }

  /** For tests: behave as if {@code name} ({@code INT}, {@code TERM}), or nothing, was received. */
  static void simulate(@Nullable String name) {
    received = name;
  }

  /** Records the signal, then runs the handler that was there before (the JVM's shutdown). */
  private static final class Chain implements InvocationHandler {
    private final Method getName;
    private final Method getNumber;
    private final Method handlerHandle;
    private final Object ignore;
    private final Object dfl;
    // Written once by install() right after the handler is registered; read on the signal thread.
    volatile @Nullable Object next;

    Chain(Method getName, Method getNumber, Method handlerHandle, Object ignore, Object dfl) {
      this.getName = getName;
      this.getNumber = getNumber;
      this.handlerHandle = handlerHandle;
      this.ignore = ignore;
      this.dfl = dfl;
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, Object @Nullable [] args)
        throws Throwable {
      if (!method.getName().equals("handle") || args == null || args.length != 1) {
        // Object methods of the proxy: identity semantics.
        switch (method.getName()) {
          case "equals":
            return args != null && args.length == 1 && proxy == args[0];
          case "hashCode":
            return System.identityHashCode(proxy);
          default:
            return "sluice signal handler";
        }
      }
      Object sig = args[0];
      received = (String) getName.invoke(sig);
      Object n = next;
      if (n != null && n != dfl && n != ignore) {
        handlerHandle.invoke(n, sig);
      } else {
        // No JVM handler to chain to (or not known yet): shut down as the JVM would.
        System.exit(128 + (Integer) getNumber.invoke(sig));
      }
      return null;
    }
  }
}
