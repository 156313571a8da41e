package io.mailfleet.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.function.Consumer;

/** A blob store that hands every call to another one: tests override only the calls they watch or break. */
public class ForwardingBlobStore implements BlobStore {

    protected final BlobStore real;

    public ForwardingBlobStore(BlobStore real) {
        this.real = real;
    }

    @Override
    public BlobWriter create() throws IOException {
        return real.create();
    }

    @Override
    public InputStream open(BlobRef ref) throws IOException {
        return real.open(ref);
    }

    @Override
    public InputStream openRange(BlobRef ref, long offset, long length) throws IOException {
        return real.openRange(ref, offset, length);
    }

    @Override
    public boolean exists(BlobRef ref) {
        return real.exists(ref);
    }

    @Override
    public void delete(BlobRef ref) throws IOException {
        real.delete(ref);
    }

    @Override
    public void list(Instant before, Consumer<StoredBlob> sink) throws IOException {
        real.list(before, sink);
    }
}
