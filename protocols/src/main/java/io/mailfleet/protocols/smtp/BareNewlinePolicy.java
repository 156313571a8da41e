package io.mailfleet.protocols.smtp;

/** What to do with a bare LF or bare CR in DATA (Postfix {@code smtpd_forbid_bare_newline}). */
public enum BareNewlinePolicy {
    /** Read the message to its end, then reject it with 550 (the docker-mailserver default). */
    REJECT,
    /** Store bare LF / bare CR as CRLF; only CRLF.CRLF still ends DATA. */
    NORMALIZE
}
