package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rename is durable only once its directory is synced, and a new directory only once its parent
 * is: a failed directory sync fails the run, naming the directory, and nothing in that directory is
 * recorded in the manifest; every directory a run creates has its parent synced before anything in
 * it is recorded.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DirectorySyncTest {
  @TempDir Path tmp;
  private final FaultyFileSystem fs = FaultyFileSystem.create();
  private Path in;
  private Path out;
  private Path state;

  @BeforeEach
  void inputs() throws IOException {
    in = tmp.resolve("in");
    out = tmp.resolve("out");
    state = tmp.resolve("state").resolve("job");
    write("a.csv", "id,v\n1,x\n2,y\n");
    write("sub/b.csv", "id,v\n3,z\n");
    write("deep/er/c.csv", "id,v\n4,w\n5,bad,extra\n");
  }

  private void write(String name, String text) throws IOException {
    Path p = in.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, UTF_8);
  }

  private PipelineSpec.Builder spec() {
    return Sluice.builder()
        .input(fs.wrap(in))
        .output(fs.wrap(out))
        .stateDir(fs.wrap(state))
        .onError(ErrorPolicy.SKIP)
        .threads(1, 1, 1);
  }

  private String manifest() throws IOException {
    return Files.readString(state.resolve("manifest.jsonl"), UTF_8);
  }

  private void failSync(Path dir, int nth) {
    fs.failNth(Op.SYNC_DIR, nth, dir::equals, p -> new IOException("injected EIO"));
  }

  private PipelineException runExpectingFailure() {
    try {
      return catchThrowableOfType(PipelineException.class, () -> spec().run());
    } finally {
      fs.heal();
    }
  }

  @Test
  void aFailedForceOfAnOutputDirectoryShouldFailTheRunNamingItAndRecordNothingInIt()
      throws IOException {
    // The second SYNC_DIR operation on out/sub is the force (the first opens the directory).
    failSync(out.resolve("sub"), 2);

    PipelineException e = runExpectingFailure();

    assertThat(fs.struck()).as("the fault struck").containsExactly(out.resolve("sub"));
    assertThat(e).as("the run failed").isNotNull();
    assertThat(e.getMessage())
        .contains("cannot sync directory " + out.resolve("sub"))
        .contains("injected EIO");
    assertThat(manifest())
        .as("no entry for the file whose rename is not durable")
        .doesNotContain("\"file\":\"sub/b.csv\"");
  }

  @Test
  void aDirectoryThatCannotBeOpenedForSyncingShouldFailTheRun() throws IOException {
    failSync(out.resolve("sub"), 1);

    PipelineException e = runExpectingFailure();

    assertThat(fs.struck()).containsExactly(out.resolve("sub"));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cannot sync directory " + out.resolve("sub"));
    assertThat(manifest()).doesNotContain("\"file\":\"sub/b.csv\"");
  }

  @Test
  void aFailedSyncOfTheStateDirectoryShouldFailTheRunBeforeAnythingIsWritten() {
    failSync(state, 1);

    PipelineException e = runExpectingFailure();

    assertThat(fs.struck()).containsExactly(state);
    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .contains("cannot use the state directory")
        .contains("cannot sync directory " + state);
    assertThat(out.resolve("a.csv")).doesNotExist();
  }

  @Test
  void everyDirectoryARunCreatesShouldHaveItsParentSynced() throws IOException {
    List<Path> synced = Collections.synchronizedList(new ArrayList<>());
    // A spy: the predicate sees every directory sync and never lets the fault strike.
    fs.failNth(
        Op.SYNC_DIR,
        Integer.MAX_VALUE,
        p -> {
          synced.add(p);
          return false;
        },
        p -> new IOException("never"));
    RunResult r;
    try {
      r = spec().run();
    } finally {
      fs.heal();
    }

    assertThat(r.files()).isEqualTo(3);
    Set<Path> created =
        new LinkedHashSet<>(
            List.of(
                out,
                out.resolve("sub"),
                out.resolve("deep"),
                out.resolve("deep/er"),
                out.resolve("_rejects"),
                out.resolve("_rejects/deep"),
                out.resolve("_rejects/deep/er"),
                state.getParent(),
                state));
    for (Path d : created) {
      assertThat(d).isDirectory();
      assertThat(synced).as("the parent of %s, which the run created", d).contains(d.getParent());
    }
  }

  @Test
  void aFailedSyncOfANewDirectorysParentShouldFailTheRunBeforeAnythingInItIsRecorded()
      throws IOException {
    // out/deep is synced only as the parent of out/deep/er, which the run creates.
    failSync(out.resolve("deep"), 2);

    PipelineException e = runExpectingFailure();

    assertThat(fs.struck()).containsExactly(out.resolve("deep"));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("cannot sync directory " + out.resolve("deep"));
    assertThat(manifest()).doesNotContain("\"file\":\"deep/er/c.csv\"");
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.map(Path::toString).collect(Collectors.toList()))
          .as("no temporary file left")
          .noneMatch(n -> n.endsWith(".sluice-tmp"));
    }
  }
}
