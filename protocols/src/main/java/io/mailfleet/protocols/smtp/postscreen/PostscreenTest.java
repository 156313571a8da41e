package io.mailfleet.protocols.smtp.postscreen;

/** The postscreen tests a client can pass; each pass is remembered for its own time. */
public enum PostscreenTest {
    /** Stayed silent until the banner's last line. */
    PREGREET,
    /** Scored under the DNSBL threshold with no block list weighing against it. */
    DNSBL
}
