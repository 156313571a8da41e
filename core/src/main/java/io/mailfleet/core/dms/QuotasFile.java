package io.mailfleet.core.dms;

import io.mailfleet.core.directory.QuotaSize;

import java.util.List;
import java.util.Optional;

/** {@code dovecot-quotas.cf}: {@code email:quota} with docker-mailserver quota units. */
public final class QuotasFile {

    public static final String NAME = "dovecot-quotas.cf";

    private QuotasFile() {
    }

    /** Parses the lines; bad addresses or quotas are reported and skipped; for duplicates the first wins. */
    public static ParseResult<QuotaEntry> parse(List<String> lines) {
        ParseCollector<QuotaEntry> c = new ParseCollector<>(NAME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (DmsLines.isIgnorable(line)) {
                continue;
            }
            String s = DmsLines.content(line);
            int colon = s.indexOf(':');
            if (colon < 0) {
                c.problem(i + 1, line, "expected user@example.com:quota");
                continue;
            }
            Optional<String> key = DmsLines.addressKey(s.substring(0, colon).strip());
            if (key.isEmpty()) {
                c.problem(i + 1, line, "'" + s.substring(0, colon).strip() + "' is not a valid email address");
                continue;
            }
            long bytes;
            try {
                bytes = QuotaSize.parse(s.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                c.problem(i + 1, line, e.getMessage());
                continue;
            }
            if (!c.first(key.get())) {
                c.problem(i + 1, line, "duplicate quota for " + key.get() + " ignored, the first line wins");
                continue;
            }
            c.add(new QuotaEntry(key.get(), bytes));
        }
        return c.result();
    }

    /** Sets a quota ({@code setup quota set}), replacing the existing line or appending one. */
    public static List<String> set(List<String> lines, String address, String quota) {
        String key = AccountsFile.requireAddress(address);
        if (!QuotaSize.isValid(quota)) {
            throw new DmsEditException("Invalid quota format: '" + quota + "'");
        }
        List<String> out = remove(lines, key);
        int i = DmsLines.indexOfKey(lines, key, QuotasFile::keyOf);
        String line = key + ":" + quota.strip();
        if (i >= 0) {
            out.add(Math.min(i, out.size()), line);
        } else {
            out.add(line);
        }
        return out;
    }

    /** Removes an account's quota line ({@code setup quota del}); unchanged when absent. */
    public static List<String> remove(List<String> lines, String address) {
        return DmsLines.withoutKey(lines, AccountsFile.requireAddress(address), QuotasFile::keyOf);
    }

    private static String keyOf(String line) {
        if (DmsLines.isIgnorable(line)) {
            return null;
        }
        String s = DmsLines.content(line);
        int colon = s.indexOf(':');
        return colon < 0 ? null : DmsLines.addressKey(s.substring(0, colon).strip()).orElse(null);
    }
}
