package io.mailfleet.protocols.imap;

import io.mailfleet.core.blob.BlobRef;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletionStage;

/** A literal of a command: small ones in memory, APPEND messages as a blob being committed. */
public record Literal(byte[] bytes, CompletionStage<BlobRef> blob, long size) {

    static Literal inMemory(byte[] bytes) {
        return new Literal(bytes, null, bytes.length);
    }

    static Literal stored(CompletionStage<BlobRef> blob, long size) {
        return new Literal(null, blob, size);
    }

    String text() {
        if (bytes == null) {
            throw new ImapParseException("a message literal cannot be used here");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
