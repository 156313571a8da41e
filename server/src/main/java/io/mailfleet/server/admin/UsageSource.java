package io.mailfleet.server.admin;

/** Current mailbox storage use of an account, in bytes (0 when unknown). */
@FunctionalInterface
public interface UsageSource {

    long usedBytes(String account);
}
