package io.mailfleet.protocols.outbound;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/** The message bytes, opened afresh for every attempt and streamed, never held whole in memory. */
public interface MessageSource {

    /** The size in bytes, declared in SIZE= and checked against the peer's limit. */
    long size();

    InputStream open() throws IOException;

    static MessageSource of(BlobStore store, BlobRef ref) {
        return new MessageSource() {
            @Override
            public long size() {
                return ref.size();
            }

            @Override
            public InputStream open() throws IOException {
                return store.open(ref);
            }
        };
    }

    static MessageSource of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return new MessageSource() {
            @Override
            public long size() {
                return copy.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(copy);
            }
        };
    }
}
