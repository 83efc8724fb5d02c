package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.internal.ApiAccess;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PipelineExceptionTest {
  @Test
  void shouldHaveNoPublicOrProtectedConstructor() {
    assertThat(PipelineException.class.getDeclaredConstructors())
        .allSatisfy(
            c -> assertThat(c.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)).isZero());
    assertThat(Modifier.isFinal(PipelineException.class.getModifiers())).isTrue();
  }

  @Test
  void shouldBeMadeThroughTheInternalAccessWithItsContextInTheMessage() {
    IOException cause = new IOException("disk full");
    PipelineException e =
        ApiAccess.pipelineException(
            Stage.WRITER, "orders.csv", 1_204, 1_203, "sluice-writer-0", null, cause);

    assertThat(e)
        .hasMessage("writer failed in orders.csv at line 1,204 (record 1,203): disk full")
        .hasCause(cause);
    assertThat(e.stage()).isEqualTo(Stage.WRITER);
    assertThat(e.file()).isEqualTo("orders.csv");
    assertThat(e.line()).isEqualTo(1_204);
    assertThat(e.record()).isEqualTo(1_203);
    assertThat(e.thread()).isEqualTo("sluice-writer-0");
    assertThat(e.result()).isNull();
  }

  @Test
  void shouldKeepMessageCauseStackAndSuppressedWhenAResultIsAttached() {
    PipelineException e =
        ApiAccess.pipelineException(
            Stage.READER, null, -1, -1, "main", "listing failed", new IOException("x"));
    e.addSuppressed(new IllegalStateException("later"));
    RunResult result = RunResult.builder().files(2).verdict(new Verdict(null, "", 1, 1, 1)).build();

    PipelineException copy = ApiAccess.withResult(e, result);

    assertThat(copy).isNotSameAs(e).hasMessage(e.getMessage()).hasCause(e.getCause());
    assertThat(copy.result()).isSameAs(result);
    assertThat(copy.getStackTrace()).isEqualTo(e.getStackTrace());
    assertThat(Arrays.stream(copy.getSuppressed()).map(Throwable::getMessage))
        .containsExactly("later");
  }

  @Test
  void shouldRefuseAnyOtherFactory() {
    ApiAccess.pipelineException(
        Stage.READER, null, -1, -1, null, null, null); // registers the real one
    ApiAccess.Exceptions foreign =
        (ApiAccess.Exceptions)
            Proxy.newProxyInstance(
                getClass().getClassLoader(),
                new Class<?>[] {ApiAccess.Exceptions.class},
                (proxy, method, args) -> {
                  throw new AssertionError("never called");
                });
    ApiAccess.Exceptions samePackage =
        new ApiAccess.Exceptions() {
          @Override
          public PipelineException pipelineException(
              Stage stage,
              String file,
              long line,
              long record,
              String thread,
              String what,
              Throwable cause) {
            throw new AssertionError("never called");
          }

          @Override
          public PipelineException withResult(PipelineException e, RunResult result) {
            throw new AssertionError("never called");
          }
        };

    assertThatThrownBy(() -> ApiAccess.register(foreign))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only dev.sluice.api registers");
    assertThatThrownBy(() -> ApiAccess.register(samePackage))
        .isInstanceOf(IllegalStateException.class);
    assertThat(ApiAccess.pipelineException(Stage.READER, null, -1, -1, null, null, null))
        .hasMessage("reader failed");
  }
}
