package io.mailfleet.core.service;

/** A session's registration in the {@link SessionRegistry}; closing it (idempotent) unregisters the session. */
public interface SessionLease extends AutoCloseable {

    /** The session id shown in listings and used to kick it. */
    String id();

    @Override
    void close();
}
