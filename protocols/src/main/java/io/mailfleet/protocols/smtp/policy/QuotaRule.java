package io.mailfleet.protocols.smtp.policy;

/**
 * docker-mailserver's quota decision (Dovecot {@code quota_grace = 10%%} behind its quota-status
 * service): a message fits while the mailbox is under its quota before it and the message brings it at
 * most 10 % over. A full mailbox takes nothing more, whatever the size.
 */
public final class QuotaRule {

    /** The grace over the quota a last message may use, in percent (docker-mailserver's 10 %). */
    public static final int GRACE_PERCENT = 10;

    private QuotaRule() {
    }

    /**
     * Whether {@code adding} bytes fit.
     *
     * @param quota  the account's quota in bytes; 0 or less = unlimited
     * @param used   the bytes the mailbox uses now
     * @param adding the size of the message (0 when unknown)
     */
    public static boolean fits(long quota, long used, long adding) {
        if (quota <= 0) {
            return true;
        }
        if (used >= quota) {
            return false;
        }
        long limit = quota + quota / 100 * GRACE_PERCENT + quota % 100 * GRACE_PERCENT / 100;
        return adding <= limit - used;
    }
}
