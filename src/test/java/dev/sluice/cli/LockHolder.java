package dev.sluice.cli;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A child process that holds an OS lock on a file, as another run of a job would: locks every file
 * named on the command line, prints {@value #LOCKED}, and releases them when its stdin closes.
 */
public final class LockHolder {
  static final String LOCKED = "lock-holder: locked";

  private LockHolder() {}

  public static void main(String[] args) throws IOException {
    FileChannel[] channels = new FileChannel[args.length];
    FileLock[] locks = new FileLock[args.length];
    for (int i = 0; i < args.length; i++) {
      channels[i] =
          FileChannel.open(Path.of(args[i]), StandardOpenOption.READ, StandardOpenOption.WRITE);
      locks[i] = channels[i].lock();
    }
    System.out.println(LOCKED);
    System.out.flush();
    while (System.in.read() >= 0) {
      // Holds the locks until the parent closes our stdin (or dies).
    }
    for (int i = 0; i < args.length; i++) {
      locks[i].release();
      channels[i].close();
    }
  }
}
