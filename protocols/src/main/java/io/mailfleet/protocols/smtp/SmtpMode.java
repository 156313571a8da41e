package io.mailfleet.protocols.smtp;

/** Which kind of SMTP listener: inbound MX, STARTTLS submission or implicit-TLS submission. */
public enum SmtpMode {
    /** Port 25: no AUTH, STARTTLS optional, relay only for trusted networks. */
    MX,
    /** Port 587: STARTTLS required before AUTH and MAIL; authentication required. */
    SUBMISSION,
    /** Port 465: TLS from the first byte; authentication required. */
    SUBMISSIONS;

    public boolean isSubmission() {
        return this != MX;
    }
}
