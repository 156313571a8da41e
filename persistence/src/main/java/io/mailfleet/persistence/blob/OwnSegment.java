package io.mailfleet.persistence.blob;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * The open descriptors of the segment this process writes: the writer's channel (in shared mode it
 * holds the lock that tells other nodes the segment is live) and one read-only file through which this
 * process reads its own blobs in that segment.
 *
 * <p>Why one shared reader: POSIX drops every lock a process holds on a file as soon as the process
 * closes <em>any</em> descriptor of that file. A reader opening and closing its own descriptor would
 * silently unmark the segment, and a node starting up would then take it for the left-over of a
 * crash, seal it at its current size and never see the blobs appended afterwards. The reader is a
 * {@link RandomAccessFile} rather than a channel because an interrupted channel read closes the
 * channel, which would drop the lock the same way. It is closed only once the writer has sealed the
 * segment and the last reader is done.
 */
final class OwnSegment {

    private final long id;
    private final FileChannel writer;
    private final RandomAccessFile reader;
    private int users = 1;

    OwnSegment(long id, FileChannel writer, Path file) throws IOException {
        this.id = id;
        this.writer = writer;
        this.reader = new RandomAccessFile(file.toFile(), "r");
    }

    long id() {
        return id;
    }

    FileChannel writer() {
        return writer;
    }

    /** A stream of the segment's bytes from {@code position} on, or null once the segment was released. */
    synchronized InputStream openAt(long position) {
        if (users == 0) {
            return null;
        }
        users++;
        return new Reader(position);
    }

    /** The writer is done: closes its channel (releasing the lock) and the reader once no one reads. */
    void release() throws IOException {
        try {
            writer.close();
        } finally {
            done();
        }
    }

    private synchronized void done() throws IOException {
        if (--users == 0) {
            reader.close();
        }
    }

    private final class Reader extends InputStream {

        private long position;
        private boolean closed;

        Reader(long position) {
            this.position = position;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed) {
                throw new IOException("stream of segment " + id + " is closed");
            }
            if (len == 0) {
                return 0;
            }
            int n;
            synchronized (reader) {
                reader.seek(position);
                n = reader.read(b, off, len);
            }
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long k = Math.max(0, Math.min(n, reader.length() - position));
            position += k;
            return k;
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                done();
            }
        }
    }
}
