package io.mailfleet.server.importer;

/** Receives what a source reader finds, in source order, on the reader's thread. */
public interface ImportSink {

    /** A message to import; problems with its bytes are found (and reported) by the sink. */
    void message(SourceMessage message);

    /** Something in the source that is not imported, with the reason an operator can act on. */
    void skipped(String origin, String reason);
}
