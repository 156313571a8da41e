package io.mailfleet.core.dms;

/** One line of {@code dovecot-quotas.cf}: an account and its quota in bytes (0 = unlimited). */
public record QuotaEntry(String address, long bytes) {
}
