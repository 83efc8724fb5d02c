package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.job.JobFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance check: the same job file gives identical output locally and on Beam's
 * DirectRunner.
 */
class BeamJobFileTest {
  @TempDir Path tmp;

  private static PipelineSpec spec(Path job, Path out) {
    return JobFile.builder(job).output(out).stateDir(null).build();
  }

  @Test
  void theDemoJobFileShouldWriteTheSameBytesOnTheLocalEngineAndOnBeam() throws IOException {
    Path job = Path.of("sample-data/jobs/demo.job");
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    RunResult l = Sluice.run(spec(job, local));
    RunResult b = BeamEngine.run(spec(job, beam), "--runner=DirectRunner");

    Map<String, byte[]> lt = FileTrees.under(local).skipping(".sluice").bytes();
    Map<String, byte[]> bt = FileTrees.under(beam).skipping(".sluice").bytes();
    assertThat(bt.keySet()).isEqualTo(lt.keySet()).isNotEmpty();
    lt.forEach((k, v) -> assertThat(bt.get(k)).as(k).isEqualTo(v));
    assertThat(b.recordsRead()).isEqualTo(l.recordsRead());
    assertThat(b.recordsWritten()).isEqualTo(l.recordsWritten());
  }
}
