package io.mailfleet.core.spam.uribl;

/**
 * How much of a message the URL block-list check reads and asks about.
 *
 * @param maxTargets   distinct domains and addresses asked of each list per message
 * @param maxScanBytes octets of the message read for links (the rest is not looked at)
 * @param emails       whether the domains of e-mail addresses in the text count too
 */
public record LinkLimits(int maxTargets, int maxScanBytes, boolean emails) {

    public LinkLimits {
        if (maxTargets < 1 || maxScanBytes < 1) {
            throw new IllegalArgumentException("link limits must be positive");
        }
    }
}
