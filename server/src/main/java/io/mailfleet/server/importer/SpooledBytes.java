package io.mailfleet.server.importer;

import io.mailfleet.core.files.PrivateFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Message bytes fetched once from a remote source and read as often as the importer needs (it reads
 * twice: to check, then to store). Small messages stay in memory, large ones go to a temporary file
 * deleted on {@link #close()}, so a 100 MB message never sits in the heap.
 */
final class SpooledBytes implements SourceMessage.Bytes, AutoCloseable {

    /** Above this, bytes go to a file. */
    static final int IN_MEMORY_LIMIT = 4 * 1024 * 1024;

    private final byte[] memory;
    private final Path file;

    private SpooledBytes(byte[] memory, Path file) {
        this.memory = memory;
        this.file = file;
    }

    /** Spools what {@code writer} writes, in memory up to the limit, else in a file of {@code tempDir}. */
    static SpooledBytes spool(Writer writer, Path tempDir) throws IOException {
        Spool spool = new Spool(tempDir);
        try (spool) {
            writer.writeTo(spool);
        } catch (IOException | RuntimeException e) {
            spool.discard();
            throw e;
        }
        return spool.file != null ? new SpooledBytes(null, spool.file) : new SpooledBytes(spool.memory.toByteArray(), null);
    }

    /** Writes a message's bytes. */
    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    @Override
    public void copyTo(OutputStream out) throws IOException {
        if (memory != null) {
            out.write(memory);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            in.transferTo(out);
        }
    }

    @Override
    public void close() throws IOException {
        if (file != null) {
            Files.deleteIfExists(file);
        }
    }

    /** Memory first, a temporary file once the limit is passed. */
    private static final class Spool extends OutputStream {
        private final Path tempDir;
        private final ByteArrayOutputStream memory = new ByteArrayOutputStream();
        private Path file;
        private OutputStream fileOut;

        Spool(Path tempDir) {
            this.tempDir = tempDir;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (fileOut == null && memory.size() + len > IN_MEMORY_LIMIT) {
                PrivateFiles.createDirectories(tempDir);
                file = tempDir.resolve("imap-import-" + java.util.UUID.randomUUID() + ".eml");
                fileOut = PrivateFiles.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW,
                        java.nio.file.StandardOpenOption.WRITE);
                memory.writeTo(fileOut);
                memory.reset();
            }
            if (fileOut != null) {
                fileOut.write(b, off, len);
            } else {
                memory.write(b, off, len);
            }
        }

        @Override
        public void close() throws IOException {
            if (fileOut != null) {
                fileOut.close();
            }
        }

        void discard() throws IOException {
            close();
            if (file != null) {
                Files.deleteIfExists(file);
            }
        }
    }
}
