package io.mailfleet.server;

import io.mailfleet.core.files.PrivateFiles;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The start-up check that the data directory (journal, blobs, keys, secrets) is the node user's alone:
 * it is created 0700, and whatever in it group or others may read (an old node's files, a restore made
 * under umask 022, the journal files H2 creates itself) loses those permissions, with a warning.
 */
public final class PrivateDataDirectory {

    private static final Logger LOG = LoggerFactory.getLogger(PrivateDataDirectory.class);

    private PrivateDataDirectory() {
    }

    /** Creates {@code dataDir} 0700 if needed and takes group and others permissions off it and everything in it. */
    public static void secure(Path dataDir) throws IOException {
        PrivateFiles.createDirectories(dataDir);
        report(dataDir, PrivateFiles.tightenTree(dataDir));
    }

    /**
     * Takes group and others permissions off the files H2 just created under the umask (it cannot be told a
     * mode): expected on a first start, so not warned about; the 0700 directory protected them meanwhile.
     */
    public static void afterJournalOpened(Path dataDir) throws IOException {
        List<PrivateFiles.Opened> opened = PrivateFiles.tightenTree(dataDir);
        reportUnfixed(dataDir, opened);
        if (!opened.isEmpty()) {
            LOG.debug("{} journal files under {} made private", opened.size(), dataDir);
        }
    }

    private static void report(Path dataDir, List<PrivateFiles.Opened> opened) {
        List<PrivateFiles.Opened> inside = opened.stream().filter(o -> o.fixed() && !o.path().equals(dataDir)).toList();
        opened.stream().filter(o -> o.fixed() && o.path().equals(dataDir)).findFirst().ifPresent(o -> LOG.warn(
                "data directory {} was {}, open to group or others: changed to {}", o.path(), o.mode(),
                PrivateFiles.mode(o.path())));
        if (!inside.isEmpty()) {
            PrivateFiles.Opened first = inside.get(0);
            // one line, however many files: an old data directory can hold millions of blobs
            LOG.warn("{} files and directories under {} were open to group or others (first: {} {}): "
                    + "group and others permissions removed", inside.size(), dataDir, first.path(), first.mode());
        }
        reportUnfixed(dataDir, opened);
    }

    private static void reportUnfixed(Path dataDir, List<PrivateFiles.Opened> opened) {
        List<PrivateFiles.Opened> unfixed = opened.stream().filter(o -> !o.fixed()).toList();
        if (!unfixed.isEmpty()) {
            PrivateFiles.Opened first = unfixed.get(0);
            LOG.warn("{} files and directories under {} stay open to group or others (first: {} {}: {}): "
                    + "make the node's user their owner, or remove the permissions yourself", unfixed.size(), dataDir,
                    first.path(), first.mode(), first.failure());
        }
    }
}
