package io.mailfleet.persistence.blob;

import io.mailfleet.core.blob.BlobRef;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A second node process on a shared blob directory, for tests of what one process's file locks tell
 * another: opens the store with slot {@code args[1]} on {@code args[0]} (the start-up that judges
 * which segments are still written), prints the text of each blob given as {@code id:size:sha256}
 * or {@code missing}, and closes the store.
 */
public final class SharedStoreProbe {

    private SharedStoreProbe() {
    }

    public static void main(String[] args) throws Exception {
        FileBlobStore store = FileBlobStore.shared(Path.of(args[0]), Integer.parseInt(args[1]));
        try {
            for (int i = 2; i < args.length; i++) {
                String[] f = args[i].split(":");
                BlobRef ref = new BlobRef(f[0], Long.parseLong(f[1]), f[2]);
                if (!store.exists(ref)) {
                    System.out.println("missing");
                    continue;
                }
                try (InputStream in = store.open(ref)) {
                    System.out.println(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } finally {
            store.close();
        }
    }
}
