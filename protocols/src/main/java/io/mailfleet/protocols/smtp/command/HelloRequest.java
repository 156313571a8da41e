package io.mailfleet.protocols.smtp.command;

/**
 * HELO or EHLO.
 *
 * @param name     the client's name as given (a domain or an address literal)
 * @param extended EHLO
 */
public record HelloRequest(String name, boolean extended) {
}
