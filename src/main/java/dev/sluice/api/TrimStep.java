package dev.sluice.api;

/** {@link Steps#trim}: strips leading and trailing white space. Thread-safe. */
final class TrimStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  TrimStep(String[] columns) {
    super("trim", columns);
  }

  @Override
  String map(String value) {
    // strip(), not trim(): Unicode white space such as U+3000 goes, while control characters
    // below U+0020 other than white space (say a stray \0) stay visible in the data.
    return value.strip();
  }
}
