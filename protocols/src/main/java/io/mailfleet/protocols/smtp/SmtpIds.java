package io.mailfleet.protocols.smtp;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The short random ids of sessions and transactions in the log (12 hex digits, Postfix-like). */
public final class SmtpIds {

    private SmtpIds() {
    }

    public static String newId() {
        byte[] b = new byte[6];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
