package io.mailfleet.protocols.smtp.command;

/**
 * BDAT (RFC 3030).
 *
 * @param size the chunk's length in octets
 * @param last the chunk ends the message
 */
public record BdatRequest(long size, boolean last) {
}
