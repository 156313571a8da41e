package io.mailfleet.protocols.smtp.command;

/**
 * AUTH (RFC 4954).
 *
 * @param mechanism       the mechanism name, upper case
 * @param initialResponse the initial response as sent (base64 or {@code =}), null when none
 */
public record AuthRequest(String mechanism, String initialResponse) {
}
