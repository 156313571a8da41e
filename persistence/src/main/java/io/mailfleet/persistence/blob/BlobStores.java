package io.mailfleet.persistence.blob;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.persistence.journal.StorageSettings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Factories for the blob store implementations. */
public final class BlobStores {

    public static final String KIND = "mailfleet.storage.blobs";
    public static final String SHARED_DIR = "mailfleet.storage.shared-file.dir";
    public static final String NODE_SLOT = "mailfleet.storage.shared-file.node-slot";
    private static final String S3 = "mailfleet.storage.s3";

    private BlobStores() {
    }

    /** A filesystem blob store keeping its files under {@code <dataDir>/blobs}. */
    public static FileBlobStore filesystem(Path dataDir) {
        try {
            return new FileBlobStore(dataDir.resolve("blobs"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the blob store under " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * The store {@code mailfleet.storage.blobs} names: {@code file} (under the data directory, one
     * node), {@code shared-file} (a directory every node mounts) or {@code s3} (an S3-compatible
     * object store). The result is {@link AutoCloseable}.
     *
     * @throws IllegalArgumentException naming the key when a value is not allowed
     * @throws UncheckedIOException     when the store cannot be opened (directory, S3 endpoint or bucket)
     */
    public static BlobStore fromConfig(Config config) {
        String kind = string(config, KIND);
        Path dataDir = StorageSettings.dataDir(config);
        switch (kind) {
            case "file":
                return filesystem(dataDir);
            case "shared-file": {
                String dir = string(config, SHARED_DIR);
                if (dir.isBlank()) {
                    throw new IllegalArgumentException(SHARED_DIR + " is empty; with " + KIND
                            + " = shared-file set it to the directory all nodes mount");
                }
                Path root;
                try {
                    root = Path.of(dir).toAbsolutePath().normalize();
                } catch (InvalidPathException e) {
                    throw new IllegalArgumentException(SHARED_DIR + " = '" + dir + "' is not a valid path: " + e.getMessage(), e);
                }
                int slot = nodeSlot(config);
                try {
                    return FileBlobStore.shared(root, slot);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot open the shared blob store " + root + ": " + e.getMessage(), e);
                }
            }
            case "s3": {
                S3Settings s3 = s3Settings(config);
                try {
                    return new S3BlobStore(s3, dataDir.resolve("s3-spool"));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot use the S3 blob store " + s3.endpoint() + " bucket "
                            + s3.bucket() + ": " + e.getMessage(), e);
                }
            }
            default:
                throw new IllegalArgumentException(KIND + " = '" + kind + "' is not allowed; use file, shared-file or s3");
        }
    }

    /** {@code mailfleet.storage.s3.*} checked, each problem naming its key. */
    public static S3Settings s3Settings(Config config) {
        String endpoint = string(config, S3 + ".endpoint");
        URI uri;
        try {
            uri = URI.create(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(S3 + ".endpoint = '" + endpoint + "' is not a URL: " + e.getMessage(), e);
        }
        boolean pathStyle;
        try {
            pathStyle = config.getBoolean(S3 + ".path-style");
        } catch (ConfigException e) {
            throw new IllegalArgumentException(S3 + ".path-style must be true or false: " + e.getMessage(), e);
        }
        try {
            return new S3Settings(uri, string(config, S3 + ".bucket"), string(config, S3 + ".region"),
                    string(config, S3 + ".access-key"), string(config, S3 + ".secret-key"), pathStyle);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(S3 + ": " + e.getMessage(), e);
        }
    }

    /**
     * This node's slot in a shared store: the configured number, or (-1, the default) one derived
     * from the node's cluster address, which is unique among running nodes.
     */
    static int nodeSlot(Config config) {
        int slot;
        try {
            slot = config.getInt(NODE_SLOT);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(NODE_SLOT + " must be a whole number: " + e.getMessage(), e);
        }
        if (slot >= SegmentStore.NODE_SLOTS || slot < -1) {
            throw new IllegalArgumentException(NODE_SLOT + " = " + slot + " is not allowed; use 0.."
                    + (SegmentStore.NODE_SLOTS - 1) + ", or -1 to derive it from the cluster address");
        }
        if (slot >= 0) {
            return slot;
        }
        String host = config.hasPath("pekko.remote.artery.canonical.hostname")
                ? config.getString("pekko.remote.artery.canonical.hostname") : "";
        String port = config.hasPath("pekko.remote.artery.canonical.port")
                ? config.getString("pekko.remote.artery.canonical.port") : "";
        return Math.floorMod((host + ":" + port).hashCode(), SegmentStore.NODE_SLOTS);
    }

    private static String string(Config config, String key) {
        try {
            return config.getString(key).trim();
        } catch (ConfigException.Missing e) {
            throw new IllegalArgumentException(key + " is not set", e);
        } catch (ConfigException e) {
            throw new IllegalArgumentException(key + " must be a text value: " + e.getMessage(), e);
        }
    }
}
