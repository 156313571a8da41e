package io.mailfleet.server.importer.dovecot;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The CONDSTORE state an import gives one Dovecot folder: the HIGHESTMODSEQ it starts from and the
 * modseq each message keeps, from Dovecot's index files ({@link DovecotIndex}) when they are there,
 * readable and of the same UIDVALIDITY as the UIDs being kept.
 *
 * <p>Without usable index files nothing proves how high Dovecot's modseqs went, so the folder starts
 * at {@link #FALLBACK_HIGHEST_MODSEQ} (2^32: Dovecot adds one per change, so a mailbox would need
 * more than four billion changes to have reached it) and every message gets a modseq above it: a
 * client that cached any lower HIGHESTMODSEQ sees all flags as changed and fetches them once (flags
 * only, never the messages again); every later change is above what it cached.
 */
public final class FolderModseqs {

    /** The HIGHESTMODSEQ a folder without usable Dovecot index files starts from. */
    public static final long FALLBACK_HIGHEST_MODSEQ = 1L << 32;

    private final long highestModseq;
    private final DovecotIndex index;
    private final String summary;
    private final String problem;

    private FolderModseqs(long highestModseq, DovecotIndex index, String summary, String problem) {
        this.highestModseq = highestModseq;
        this.index = index;
        this.summary = summary;
        this.problem = problem;
    }

    /**
     * Reads the index files in {@code dir} for a folder whose UIDs are kept under {@code uidValidity}.
     */
    public static FolderModseqs read(Path dir, long uidValidity) {
        String fallback = "modseqs start above " + FALLBACK_HIGHEST_MODSEQ + ", so CONDSTORE clients fetch the"
                + " folder's flags once";
        if (!DovecotIndex.present(dir)) {
            return new FolderModseqs(FALLBACK_HIGHEST_MODSEQ, null, "no Dovecot index (" + DovecotIndex.INDEX + ", "
                    + DovecotIndex.LOG + "): " + fallback, null);
        }
        DovecotIndex index = DovecotIndex.read(dir);
        if (!index.usable()) {
            return new FolderModseqs(FALLBACK_HIGHEST_MODSEQ, null, "Dovecot index not usable: " + fallback,
                    index.problem() + "; " + fallback);
        }
        if (index.uidValidity() != uidValidity) {
            String why = "the index files' UIDVALIDITY " + index.uidValidity() + " is not the UIDVALIDITY "
                    + uidValidity + " of the UIDs kept; not used, " + fallback;
            return new FolderModseqs(FALLBACK_HIGHEST_MODSEQ, null, "Dovecot index not usable: " + fallback, why);
        }
        return new FolderModseqs(index.highestModseq(), index, summaryOf(index), null);
    }

    private static String summaryOf(DovecotIndex index) {
        return "HIGHESTMODSEQ " + index.highestModseq() + (index.exact()
                ? " and the messages' modseqs kept from Dovecot's index"
                : " kept from Dovecot's index; some messages' modseqs are upper bounds (" + String.join("; ",
                index.notes()) + "), so CONDSTORE clients fetch their flags once more");
    }

    /** The state of a folder whose UIDVALIDITY comes from the (usable) index itself, as in sdbox. */
    public static FolderModseqs of(DovecotIndex index) {
        if (!index.usable()) {
            throw new IllegalArgumentException("index not usable: " + index.problem());
        }
        return new FolderModseqs(index.highestModseq(), index, summaryOf(index), null);
    }

    /** The HIGHESTMODSEQ the folder is raised to before its messages are imported. */
    public long highestModseq() {
        return highestModseq;
    }

    /** One line for the import summary: where the folder's CONDSTORE state came from. */
    public String summary() {
        return summary;
    }

    /** What was wrong with index files that exist (for a note), or null. */
    public String problem() {
        return problem;
    }

    /**
     * The modseq the message {@code uid} keeps, or 0 for a new one above the folder's HIGHESTMODSEQ: when
     * the index has no record of it, or when the flags the index holds are not the flags the message is
     * imported with (the file changed after Dovecot last looked, a change no client has seen a modseq of).
     */
    public long modseq(long uid, Set<String> flags) {
        if (index == null) {
            return 0;
        }
        DovecotIndex.Message m = index.message(uid);
        if (m == null || !comparable(m.flags()).equals(comparable(flags))) {
            return 0;
        }
        return m.modseq();
    }

    /** The messages the index knows, by UID (empty without a usable index). */
    public Map<Long, DovecotIndex.Message> messages() {
        return index == null ? Map.of() : index.messages();
    }

    // Maildir's 'P' (passed) is imported as $Forwarded, which Dovecot's index does not hold for it
    private static Set<String> comparable(Set<String> flags) {
        Set<String> out = new HashSet<>();
        for (String f : flags) {
            if (!f.equalsIgnoreCase("$Forwarded") && !f.equalsIgnoreCase("\\Recent")) {
                out.add(f.toLowerCase(java.util.Locale.ROOT));
            }
        }
        return out;
    }
}
