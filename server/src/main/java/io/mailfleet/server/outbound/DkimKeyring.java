package io.mailfleet.server.outbound;

import io.mailfleet.core.dkim.DkimException;
import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimRotation;
import io.mailfleet.core.dkim.DkimSigningKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The DKIM signing keys of an OpenDKIM directory (docker-mailserver layout), re-read when the
 * KeyTable, the SigningTable or the key directory changes, so keys made with {@code mailfleet config dkim}
 * (or copied from docker-mailserver) and a confirmed rotation take effect without a restart. SigningTable
 * picks a domain's key; a rotation's pending key never signs (see {@link DkimRotation}). On a shared
 * config directory every node signs with the same keys.
 */
public final class DkimKeyring {
    private static final Logger LOG = LoggerFactory.getLogger(DkimKeyring.class);
    private static final long CHECK_INTERVAL_MS = 1000;

    private final Path dir;
    private Map<String, DkimSigningKey> byDomain = Map.of();
    private List<FileTime> stamps;
    private long checkedAt;

    public DkimKeyring(Path dir) {
        this.dir = dir;
        refresh();
    }

    public Path dir() {
        return dir;
    }

    /** The key of a sender domain, if it has one. */
    public synchronized Optional<DkimSigningKey> key(String domain) {
        long now = System.currentTimeMillis();
        if (now - checkedAt >= CHECK_INTERVAL_MS) {
            checkedAt = now;
            refresh();
        }
        return Optional.ofNullable(byDomain.get(domain.toLowerCase(Locale.ROOT)));
    }

    private synchronized void refresh() {
        List<FileTime> now = List.of(stamp(dir.resolve("KeyTable")), stamp(dir.resolve("SigningTable")),
                stamp(dir.resolve("keys")), stamp(dir));
        if (now.equals(stamps)) {
            return;
        }
        stamps = now;
        try {
            List<DkimSigningKey> all = DkimKeys.loadOpenDkim(dir);
            Map<String, DkimSigningKey> keys = new HashMap<>();
            for (DkimSigningKey k : all) {
                String d = k.domain().toLowerCase(Locale.ROOT);
                if (DkimRotation.signingSelector(dir, d).filter(k.selector()::equals).isPresent()) {
                    keys.putIfAbsent(d, k);
                }
            }
            for (DkimSigningKey k : all) {
                // without KeyTable/SigningTable lines for it (keys/ files only), a domain signs with its first key
                String d = k.domain().toLowerCase(Locale.ROOT);
                if (!DkimRotation.isPending(dir, d, k.selector())) {
                    keys.putIfAbsent(d, k);
                }
            }
            byDomain = keys;
            if (!keys.isEmpty()) {
                Map<String, String> selectors = new TreeMap<>();
                keys.forEach((d, k) -> selectors.put(d, k.selector()));
                LOG.info("DKIM signing keys loaded from {}: domain=selector {}", dir, selectors);
            }
        } catch (IOException | DkimException e) {
            LOG.error("DKIM keys in {} not loaded ({}); the previous keys stay in use", dir, e.getMessage());
        }
    }

    private static FileTime stamp(Path p) {
        try {
            return Files.exists(p) ? Files.getLastModifiedTime(p) : FileTime.fromMillis(0);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
