package io.mailfleet.server.admin;

/**
 * Storage use against the effective quota.
 *
 * @param limitBytes 0 = unlimited
 * @param percent    used / limit rounded down, 0 when unlimited
 */
public record QuotaUsage(long usedBytes, long limitBytes, int percent) {

    static QuotaUsage of(long used, long limit) {
        int pct = limit <= 0 ? 0 : (int) Math.min(Integer.MAX_VALUE, used * 100 / limit);
        return new QuotaUsage(used, limit, pct);
    }
}
