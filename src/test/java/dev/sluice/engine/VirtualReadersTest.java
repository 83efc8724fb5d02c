package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class VirtualReadersTest {
  @TempDir Path tmp;

  @Test
  @EnabledForJreRange(min = JRE.JAVA_21)
  void shouldRunReadersOnVirtualThreadsAndJoinThemAll() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(20, 200);
    PipelineSpec spec =
        fx.spec().virtualReaders(true).threads(64, 2, 2).batchSize(9).queueCapacity(2).build();
    FakeFormat f = new FakeFormat(3);

    try (DefaultPipeline p = new DefaultPipeline(spec, f, f, EngineHooks.NONE)) {
      p.run();
      List<Thread> readers =
          p.threads().stream()
              .filter(t -> t.getName().startsWith("sluice-reader-"))
              .collect(Collectors.toList());
      assertThat(readers).hasSize(64).allMatch(VirtualThreads::isVirtual);
      assertThat(p.threads()).noneMatch(Thread::isAlive);
    }
    fx.assertOutputsMatchInputs();
  }

  @Test
  @EnabledForJreRange(max = JRE.JAVA_20)
  void shouldExplainThatVirtualReadersNeedJava21() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(1, 2);
    FakeFormat f = new FakeFormat(1);
    DefaultPipeline p =
        new DefaultPipeline(fx.spec().virtualReaders(true).build(), f, f, EngineHooks.NONE);

    assertThatThrownBy(p::run)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("Java 21");
  }
}
