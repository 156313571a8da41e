package io.mailfleet.core.blob;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** A blob writer that hands every call to another one: tests override only the calls they watch or break. */
public class ForwardingBlobWriter implements BlobWriter {

    protected final BlobWriter real;

    public ForwardingBlobWriter(BlobWriter real) {
        this.real = real;
    }

    @Override
    public void write(ByteBuffer bytes) throws IOException {
        real.write(bytes);
    }

    @Override
    public long size() {
        return real.size();
    }

    @Override
    public CompletionStage<BlobRef> commit() {
        return real.commit();
    }

    @Override
    public Optional<InputStream> committedBytes() {
        return real.committedBytes();
    }

    @Override
    public void abort() {
        real.abort();
    }

    @Override
    public void close() {
        real.close();
    }
}
