package dev.sluice.internal.config;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Step;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import org.jspecify.annotations.Nullable;

/**
 * Creates custom {@link Step}s by class name: a class on the class path that implements {@code
 * Step} and has a public no-argument constructor. Used for {@code "class"} steps in job files and
 * for the command line's {@code --step}:
 *
 * <pre>{@code
 * Step s = CustomSteps.load("com.example.MaskPhoneNumbers");
 * }</pre>
 *
 * <p>Thread-safe: static methods without state.
 */
public final class CustomSteps {
  private CustomSteps() {}

  /**
   * A new instance of {@code className}, loaded through the thread's context class loader (or
   * Sluice's own loader when there is none).
   *
   * @throws ConfigurationException if the class is missing, is not a concrete {@code Step}, has no
   *     public no-argument constructor, or its constructor throws; the message says which
   */
  public static Step load(String className) {
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    return load(className, loader != null ? loader : CustomSteps.class.getClassLoader());
  }

  /** Like {@link #load(String)}, with the given class loader. */
  public static Step load(String className, ClassLoader loader) {
    String name = className.strip();
    Class<?> c;
    try {
      c = Class.forName(name, true, loader);
    } catch (ClassNotFoundException e) {
      throw new ConfigurationException(
          "class " + name + " not found; add its jar to the classpath (java -cp)", e);
    } catch (LinkageError e) {
      throw new ConfigurationException("cannot load class " + name + ": " + describe(e), e);
    }
    if (!Step.class.isAssignableFrom(c)) {
      throw new ConfigurationException(name + " does not implement " + Step.class.getName());
    }
    if (Modifier.isAbstract(c.getModifiers())) {
      throw new ConfigurationException(name + " is abstract; name a concrete class");
    }
    try {
      return (Step) c.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new ConfigurationException(name + " has no public no-argument constructor", e);
    } catch (InvocationTargetException e) {
      throw new ConfigurationException(
          "the constructor of " + name + " threw " + describe(e.getCause()), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new ConfigurationException("cannot create " + name + ": " + describe(e), e);
    }
  }

  private static String describe(@Nullable Throwable t) {
    if (t == null) {
      return "an unknown error";
    }
    String m = t.getMessage();
    return m == null || m.isBlank()
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + m;
  }
}
