package dev.sluice.cli;

/** A class that {@code --step} must refuse: it does not implement Step. */
public final class NotAStep {}
