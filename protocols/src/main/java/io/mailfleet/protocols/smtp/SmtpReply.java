package io.mailfleet.protocols.smtp;

/** One SMTP reply line with its enhanced status code (RFC 2034, always sent). */
public record SmtpReply(int code, String enhanced, String text) {

    public boolean isError() {
        return code >= 400;
    }

    /** A 5xx reply: the client must not try again unchanged. */
    public boolean isPermanent() {
        return code >= 500;
    }

    /** The wire form without CRLF. */
    public String line() {
        return code + " " + enhanced + " " + text;
    }

    @Override
    public String toString() {
        return line();
    }
}
