package io.mailfleet.core.blob;

import java.io.IOException;

/** Stored bytes that do not match their recorded hash or size. */
public class BlobCorruptedException extends IOException {
    public BlobCorruptedException(String message) {
        super(message);
    }
}
