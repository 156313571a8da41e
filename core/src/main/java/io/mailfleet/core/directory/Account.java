package io.mailfleet.core.directory;

/** A mail account: its login address (lower-cased key) and its password hash with scheme prefix. */
public record Account(String address, String passwordHash) {
}
