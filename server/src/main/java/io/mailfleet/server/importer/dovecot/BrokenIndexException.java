package io.mailfleet.server.importer.dovecot;

/** A Dovecot index or log file that cannot be read as the format says, with where and why. */
final class BrokenIndexException extends Exception {

    BrokenIndexException(String message) {
        super(message);
    }
}
