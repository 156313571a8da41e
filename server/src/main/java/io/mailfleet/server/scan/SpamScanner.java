package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.MessageStart;

/**
 * What the spam scanners (spamd, Rspamd) share: a size limit, relay clients (authenticated and
 * trusted) left alone unless {@code checkRelay}, and one reply when the scanner cannot be asked.
 */
abstract class SpamScanner implements Scanner {

    private final long sizeLimit;
    private final boolean checkRelay;

    SpamScanner(long sizeLimit, boolean checkRelay) {
        this.sizeLimit = sizeLimit;
        this.checkRelay = checkRelay;
    }

    @Override
    public final long sizeLimit() {
        return sizeLimit;
    }

    @Override
    public final boolean concerns(MessageStart start) {
        return checkRelay || !start.relay();
    }

    @Override
    public final String unavailableText() {
        return "Spam scan unavailable, try again later";
    }
}
