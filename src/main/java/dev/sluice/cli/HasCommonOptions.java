package dev.sluice.cli;

/** A subcommand with the shared {@code --quiet/--verbose/--stacktrace} options. */
interface HasCommonOptions {
  CommonOptions common();
}
