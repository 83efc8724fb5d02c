package dev.sluice.beam;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Step;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.Serializable;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks, on the launcher, that every step survives Java serialization (out and back in), so that a
 * step that cannot reach the workers fails the build of the Beam pipeline with a message naming the
 * step and what in it is not serializable, instead of failing later on a worker.
 *
 * <p>Stateless and thread-safe.
 */
final class StepCheck {
  private static final int MAX_DEPTH = 8;

  private StepCheck() {}

  /**
   * @throws ConfigurationException naming the first step that does not round-trip
   */
  static void requireSerializable(List<Step> steps) {
    for (int i = 0; i < steps.size(); i++) {
      Step s = steps.get(i);
      try {
        roundTrip(s);
      } catch (NotSerializableException e) {
        String where = locate(s);
        throw new ConfigurationException(
            String.format(
                Locale.ROOT,
                "step %d (%s, %s) cannot be sent to Beam workers: %s is not Serializable; make it"
                    + " Serializable, mark the field transient and create it again in the step, or"
                    + " create it inside apply()",
                i + 1,
                s.describe(),
                s.getClass().getName(),
                where != null ? where : "class " + e.getMessage()),
            e);
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        throw new ConfigurationException(
            String.format(
                Locale.ROOT,
                "step %d (%s, %s) cannot be sent to Beam workers: Java serialization failed: %s",
                i + 1,
                s.describe(),
                s.getClass().getName(),
                e),
            e);
      }
    }
  }

  private static void roundTrip(Object o) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    ClassLoader loader = o.getClass().getClassLoader();
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())) {
          @Override
          protected Class<?> resolveClass(ObjectStreamClass desc)
              throws IOException, ClassNotFoundException {
            // The step's own loader first: a step from a jar added at run time is not visible to
            // the loader that loaded Sluice.
            try {
              return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
              return super.resolveClass(desc);
            }
          }
        }) {
      in.readObject();
    }
  }

  /**
   * The path to the first value that is not serializable, such as {@code "captured value 1 -> field
   * conn (com.example.Db)"}, or null if none is found (serialization failed elsewhere, for example
   * in a custom {@code writeObject}).
   */
  static @Nullable String locate(Object step) {
    return find(step, "", Collections.newSetFromMap(new IdentityHashMap<>()), 0);
  }

  private static @Nullable String find(
      @Nullable Object o, String path, Set<Object> seen, int depth) {
    if (o == null || depth > MAX_DEPTH || !seen.add(o)) {
      return null;
    }
    Class<?> c = o.getClass();
    if (!(o instanceof Serializable)) {
      return (path.isEmpty() ? "the step" : path) + " (" + c.getName() + ")";
    }
    if (c.isArray()) {
      if (c.getComponentType().isPrimitive()) {
        return null;
      }
      Object[] a = (Object[]) o;
      for (int i = 0; i < a.length; i++) {
        String hit = find(a[i], join(path, "element " + i), seen, depth + 1);
        if (hit != null) {
          return hit;
        }
      }
      return null;
    }
    if (o instanceof Iterable<?> && c.getName().startsWith("java.")) {
      int i = 0;
      for (Object e : (Iterable<?>) o) {
        String hit = find(e, join(path, "element " + i++), seen, depth + 1);
        if (hit != null) {
          return hit;
        }
      }
      return null;
    }
    if (o instanceof Map<?, ?> && c.getName().startsWith("java.")) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
        String hit = find(e.getKey(), join(path, "key " + e.getKey()), seen, depth + 1);
        if (hit == null) {
          hit = find(e.getValue(), join(path, "value for key " + e.getKey()), seen, depth + 1);
        }
        if (hit != null) {
          return hit;
        }
      }
      return null;
    }
    SerializedLambda lambda = serializedLambda(o);
    if (lambda != null) {
      for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
        String hit =
            find(
                lambda.getCapturedArg(i), join(path, "captured value " + (i + 1)), seen, depth + 1);
        if (hit != null) {
          return hit;
        }
      }
      return null;
    }
    if (c.getName().startsWith("java.") || c.getName().startsWith("javax.")) {
      return null; // JDK classes: their fields are not ours to read, and they serialize themselves
    }
    for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
      for (Field f : k.getDeclaredFields()) {
        int mod = f.getModifiers();
        if (Modifier.isStatic(mod) || Modifier.isTransient(mod) || f.getType().isPrimitive()) {
          continue;
        }
        Object v;
        try {
          f.setAccessible(true);
          v = f.get(o);
        } catch (RuntimeException | IllegalAccessException e) {
          continue; // an inaccessible field (module rules): serialization names its class anyway
        }
        String hit = find(v, join(path, "field " + f.getName()), seen, depth + 1);
        if (hit != null) {
          return hit;
        }
      }
    }
    return null;
  }

  private static String join(String path, String part) {
    return path.isEmpty() ? part : path + " -> " + part;
  }

  /** The serialized form of a serializable lambda, or null for anything else. */
  private static @Nullable SerializedLambda serializedLambda(Object o) {
    if (!o.getClass().isSynthetic()) {
      return null;
    }
    try {
      Method m = o.getClass().getDeclaredMethod("writeReplace");
      m.setAccessible(true);
      Object r = m.invoke(o);
      return r instanceof SerializedLambda ? (SerializedLambda) r : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
