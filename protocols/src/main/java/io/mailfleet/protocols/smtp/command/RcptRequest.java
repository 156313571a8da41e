package io.mailfleet.protocols.smtp.command;

/**
 * RCPT TO with its DSN parameters (RFC 3461, submission only).
 *
 * @param address          the forward-path as the client gave it
 * @param notifyConditions NOTIFY upper case ({@code NEVER} or a list of SUCCESS, FAILURE, DELAY), null when absent
 * @param orcpt            ORCPT as sent, null when absent
 */
public record RcptRequest(String address, String notifyConditions, String orcpt) {
}
