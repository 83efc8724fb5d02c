package dev.sluice.s3;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test the JVM's {@link S3Server}: {@code @ExtendWith(WithS3.class)}, then a parameter of
 * type {@code S3Server}.
 */
public final class WithS3 implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
    return p.getParameter().getType() == S3Server.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext c) {
    return S3Server.get(c);
  }
}
