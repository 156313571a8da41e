package io.mailfleet.protocols.imap.command;

/**
 * One parsed IMAP command: a record per command, built by the parser of its family and run by the
 * handler of that family ({@code protocols.imap.handler}). Parsing a request sends nothing.
 */
public interface ImapRequest {
}
