package io.mailfleet.cluster.sieve;

/**
 * Per-account limits on Sieve scripts (Pigeonhole's {@code sieve_quota_max_scripts} and
 * {@code sieve_quota_max_storage}).
 *
 * @param maxScripts    scripts one account may keep
 * @param maxTotalBytes octets (UTF-8) of all the account's scripts together
 */
public record SieveQuota(int maxScripts, long maxTotalBytes) {

    public SieveQuota {
        if (maxScripts < 1 || maxTotalBytes < 1) {
            throw new IllegalArgumentException("Sieve quota must allow at least one script and one octet, got "
                    + maxScripts + " scripts and " + maxTotalBytes + " octets");
        }
    }

    /** 20 scripts, 1 MiB in total. */
    public static SieveQuota defaults() {
        return new SieveQuota(20, 1L << 20);
    }
}
