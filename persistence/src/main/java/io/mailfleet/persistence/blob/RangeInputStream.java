package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobCorruptedException;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Reads exactly {@code length} bytes of a blob and fails if the stored file ends earlier. */
final class RangeInputStream extends FilterInputStream {

    private final String id;
    private long remaining;

    RangeInputStream(InputStream in, String id, long length) {
        super(in);
        this.id = id;
        this.remaining = length;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (remaining == 0) {
            return -1;
        }
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw new BlobCorruptedException("blob " + id + " is corrupted: it ends " + remaining
                    + " bytes before its recorded size");
        }
        remaining -= n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = in.skip(Math.min(n, remaining));
        remaining -= skipped;
        return skipped;
    }

    @Override
    public int available() throws IOException {
        return (int) Math.min(in.available(), remaining);
    }

    @Override
    public boolean markSupported() {
        return false;
    }
}
