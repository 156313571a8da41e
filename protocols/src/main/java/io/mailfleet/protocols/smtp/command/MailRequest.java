package io.mailfleet.protocols.smtp.command;

/**
 * MAIL FROM with the parameters this listener accepts.
 *
 * @param sender       the reverse-path, empty for the null sender
 * @param body         {@code 7BIT} or {@code 8BITMIME} (RFC 6152)
 * @param smtpUtf8     SMTPUTF8 was given (RFC 6531)
 * @param ret          DSN RET ({@code FULL}/{@code HDRS}), null when absent (RFC 3461)
 * @param envId        DSN ENVID as sent (xtext), null when absent
 * @param declaredSize the SIZE parameter (RFC 1870) in bytes, -1 when absent
 * @param requireTls   REQUIRETLS was given (RFC 8689): relay only over verified TLS
 */
public record MailRequest(String sender, String body, boolean smtpUtf8, String ret, String envId, long declaredSize,
                          boolean requireTls) {

    /** A request without REQUIRETLS. */
    public MailRequest(String sender, String body, boolean smtpUtf8, String ret, String envId, long declaredSize) {
        this(sender, body, smtpUtf8, ret, envId, declaredSize, false);
    }

    /** A request without a SIZE parameter. */
    public MailRequest(String sender, String body, boolean smtpUtf8, String ret, String envId) {
        this(sender, body, smtpUtf8, ret, envId, -1);
    }
}
