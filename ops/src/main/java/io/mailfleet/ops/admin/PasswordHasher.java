package io.mailfleet.ops.admin;

/** Turns a new plain-text password into a stored hash with its scheme prefix, e.g. {@code {SHA512-CRYPT}$6$...}. */
@FunctionalInterface
public interface PasswordHasher {

    String hash(String plainPassword);
}
