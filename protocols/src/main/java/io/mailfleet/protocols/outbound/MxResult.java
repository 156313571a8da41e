package io.mailfleet.protocols.outbound;

import java.util.List;

/** The outcome of resolving where mail for a destination goes. */
public sealed interface MxResult {

    /** Exchangers in the order to try them (by preference, random among equal preferences). */
    record Resolved(List<MxHost> hosts) implements MxResult {
        public Resolved {
            hosts = List.copyOf(hosts);
            if (hosts.isEmpty()) {
                throw new IllegalArgumentException("a resolved destination needs at least one host");
            }
        }
    }

    /**
     * Mail for the destination can never be delivered (NXDOMAIN, null MX, no address at all).
     *
     * @param status RFC 3463 enhanced status code, e.g. {@code 5.1.10}
     */
    record PermanentFailure(String status, String reason) implements MxResult {
    }

    /** DNS did not answer conclusively (SERVFAIL, timeout); try again later. */
    record TemporaryFailure(String status, String reason) implements MxResult {
    }
}
