package io.mailfleet.core.mailbox;

/** Storage used by an account. */
public record Usage(long bytes, long messages) {
}
