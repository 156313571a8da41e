package io.mailfleet.server.config;

/**
 * Bounds on the work one message or one command may cause ({@code mailfleet.limits}).
 *
 * @param headerSize           largest header section accepted by SMTP and IMAP APPEND, in bytes
 * @param headerLineLength     longest header line accepted, CRLF excluded
 * @param heavyCommandsPerUser content SEARCH, SORT and THREAD commands one account runs at once on a node
 * @param heavyCommandsPerNode such commands the node runs at once, over every account
 */
public record LimitSettings(int headerSize, int headerLineLength, int heavyCommandsPerUser, int heavyCommandsPerNode) {
}
