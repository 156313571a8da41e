package io.mailfleet.persistence.blob;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.storage.blobs} and its sections turned into stores, bad values named. */
class BlobStoresConfigTest {

    @TempDir
    Path data;

    private Config config(String hocon) {
        return ConfigFactory.parseString(hocon + "\nmailfleet.storage.data-dir = \"" + data + "\"")
                .withFallback(ConfigFactory.load()).resolve();
    }

    @Test
    void fileIsTheDefaultUnderTheDataDirectory() throws Exception {
        try (FileBlobStore s = (FileBlobStore) BlobStores.fromConfig(config(""))) {
            assertEquals(data.resolve("blobs").toAbsolutePath(), s.root());
        }
    }

    @Test
    void sharedFileNodesOnOneDirectoryReadEachOther() throws Exception {
        Path shared = data.resolve("shared");
        BlobStore a = BlobStores.fromConfig(config("mailfleet.storage { blobs = shared-file, shared-file.dir = \""
                + shared + "\", shared-file.node-slot = 0 }"));
        BlobStore b = BlobStores.fromConfig(config("mailfleet.storage { blobs = shared-file, shared-file.dir = \""
                + shared + "\" }\npekko.remote.artery.canonical { hostname = \"10.0.0.2\", port = 7355 }"));
        try {
            BlobRef ref;
            try (BlobWriter w = a.create()) {
                w.write("shared bytes".getBytes(StandardCharsets.US_ASCII), 0, 12);
                ref = w.commit().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
            try (var in = b.open(ref)) {
                assertEquals("shared bytes", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
            assertTrue(Files.isDirectory(shared.resolve("seg")));
        } finally {
            ((AutoCloseable) a).close();
            ((AutoCloseable) b).close();
        }
    }

    @Test
    void badValuesNameTheirKey() {
        assertMessage("mailfleet.storage.blobs = 'tape' is not allowed", "mailfleet.storage.blobs = tape");
        assertMessage("mailfleet.storage.shared-file.dir is empty", "mailfleet.storage.blobs = shared-file");
        assertMessage("mailfleet.storage.shared-file.node-slot = 1000 is not allowed",
                "mailfleet.storage { blobs = shared-file, shared-file.dir = \"/tmp/x\", shared-file.node-slot = 1000 }");
        assertMessage("mailfleet.storage.s3: S3 endpoint '' must be an http:// or https:// URL",
                "mailfleet.storage.blobs = s3");
        assertMessage("access key and secret key must both be set",
                "mailfleet.storage { blobs = s3, s3.endpoint = \"http://127.0.0.1:9\" }");
    }

    private void assertMessage(String expected, String hocon) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BlobStores.fromConfig(config(hocon)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertInstanceOf(IllegalArgumentException.class, e);
    }
}
