package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobCorruptedException;
import io.mailfleet.core.blob.BlobRef;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.HexFormat;

/** Hashes a whole blob while it is read and fails at the end when size or SHA-256 differ from the ref. */
final class VerifyingInputStream extends FilterInputStream {

    private final BlobRef ref;
    private final MessageDigest digest = FileBlobStore.sha256();
    private long count;
    private boolean verified;

    VerifyingInputStream(InputStream in, BlobRef ref) {
        super(in);
        this.ref = ref;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        int n = in.read(b, off, len);
        if (n < 0) {
            verify();
            return -1;
        }
        digest.update(b, off, n);
        count += n;
        if (count > ref.size()) {
            throw new BlobCorruptedException("blob " + ref.id() + " is corrupted: longer than its recorded size "
                    + ref.size());
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // skipped bytes still have to be hashed, so read them
        byte[] buf = new byte[8192];
        long left = n;
        while (left > 0) {
            int r = read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                break;
            }
            left -= r;
        }
        return n - left;
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    @Override
    public synchronized void mark(int readlimit) {
        // not supported: hashing cannot rewind
    }

    @Override
    public synchronized void reset() throws IOException {
        throw new IOException("mark/reset not supported on blob " + ref.id());
    }

    private void verify() throws BlobCorruptedException {
        if (verified) {
            return;
        }
        verified = true;
        if (count != ref.size()) {
            throw new BlobCorruptedException("blob " + ref.id() + " is corrupted: " + count
                    + " bytes stored, " + ref.size() + " recorded");
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equalsIgnoreCase(ref.sha256())) {
            throw new BlobCorruptedException("blob " + ref.id() + " is corrupted: SHA-256 " + actual
                    + " does not match the recorded " + ref.sha256());
        }
    }
}
