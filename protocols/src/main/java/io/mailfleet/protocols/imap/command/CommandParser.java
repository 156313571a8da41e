package io.mailfleet.protocols.imap.command;

import io.mailfleet.protocols.imap.Args;

/** Reads the arguments of one command (after its name) into a typed request; BAD on bad grammar. */
@FunctionalInterface
public interface CommandParser<R extends ImapRequest> {

    /** @throws io.mailfleet.protocols.imap.ImapParseException when the arguments break the grammar */
    R parse(Args args, ParseContext context);
}
