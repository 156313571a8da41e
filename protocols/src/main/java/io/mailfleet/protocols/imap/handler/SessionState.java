package io.mailfleet.protocols.imap.handler;

import io.mailfleet.core.service.SessionLease;
import io.mailfleet.protocols.imap.ImapParseException;
import io.mailfleet.protocols.imap.KeywordAnnouncer;
import io.mailfleet.protocols.imap.SelectedFolder;
import io.mailfleet.protocols.imap.command.ParseContext;

import java.util.List;

/**
 * What one IMAP connection is in: its state, the account, the selected folder and the extensions the
 * client enabled. Owned by the session and only touched on its channel's event loop.
 */
public final class SessionState implements ParseContext {

    private final char delimiter;
    public ImapState state = ImapState.NOT_AUTHENTICATED;
    public String account;
    /** This session's entry in the cluster-wide session registry, once logged in. */
    public SessionLease lease;
    public SelectedFolder selected;
    /** Keywords announced for {@link #selected}; null when nothing is selected. */
    public KeywordAnnouncer keywords;
    public boolean tlsActive;
    public boolean condstore;
    public boolean qresync;
    /** RFC 6855: the client sent ENABLE UTF8=ACCEPT; mailbox names travel as UTF-8. */
    public boolean utf8;
    public boolean compressed;
    /** SEARCHRES (RFC 5182): uids of the last SEARCH ... RETURN (SAVE), ascending. */
    public List<Long> savedUids = List.of();

    public SessionState(char delimiter, boolean tlsActive) {
        this.delimiter = delimiter;
        this.tlsActive = tlsActive;
    }

    /** Refuses the command (BAD) unless the connection is in one of {@code allowed}. */
    public void requireState(ImapState... allowed) {
        for (ImapState s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new ImapParseException("Command not valid in this state (" + state.label() + ")");
    }

    @Override
    public char delimiter() {
        return delimiter;
    }

    @Override
    public boolean utf8() {
        return utf8;
    }

    @Override
    public boolean qresync() {
        return qresync;
    }

    @Override
    public List<Long> savedUids() {
        return savedUids;
    }

    @Override
    public void condstoreRequested() {
        condstore = true;
    }

    @Override
    public void forgetSavedResult() {
        savedUids = List.of();
    }
}
