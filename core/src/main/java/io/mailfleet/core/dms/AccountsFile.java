package io.mailfleet.core.dms;

import io.mailfleet.core.auth.PasswordSchemes;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@code postfix-accounts.cf}: parse and single-entry edits that keep comments and other lines. */
public final class AccountsFile {

    public static final String NAME = "postfix-accounts.cf";

    private AccountsFile() {
    }

    /**
     * Parses the lines. A line with a bad address or no hash is reported and skipped. A hash of an
     * unknown scheme or malformed is reported but the account is kept: it still receives mail, as in
     * docker-mailserver, it just cannot log in. Duplicates are reported; the first line wins.
     */
    public static ParseResult<AccountEntry> parse(List<String> lines) {
        ParseCollector<AccountEntry> c = new ParseCollector<>(NAME);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (DmsLines.isIgnorable(line)) {
                continue;
            }
            String[] f = line.strip().split("\\|", 3);
            String login = f[0].strip();
            Optional<String> key = DmsLines.addressKey(login);
            if (key.isEmpty()) {
                c.problem(i + 1, line, "'" + login
                        + "' is not a valid email address (expected user@example.com|{SCHEME}hash)");
                continue;
            }
            if (f.length < 2 || f[1].strip().isEmpty()) {
                c.problem(i + 1, line, "no password hash after '|' for " + key.get());
                continue;
            }
            if (!c.first(key.get())) {
                c.problem(i + 1, line, "duplicate account " + key.get() + " ignored, the first line wins");
                continue;
            }
            String hash = f[1].strip();
            int lineNumber = i + 1;
            PasswordSchemes.check(hash).ifPresent(p -> c.problem(lineNumber,
                    line, "account " + key.get() + " cannot log in: " + p));
            String attrs = f.length > 2 && !f[2].isBlank() ? f[2].strip() : null;
            c.add(new AccountEntry(key.get(), hash, attrs));
        }
        return c.result();
    }

    /** Appends an account ({@code setup email add}); refuses an existing one with "'x' already exists". */
    public static List<String> add(List<String> lines, String address, String passwordHash) {
        String key = requireAddress(address);
        if (find(lines, key) >= 0) {
            throw new DmsEditException("'" + key + "' already exists");
        }
        requireHash(passwordHash);
        List<String> out = new ArrayList<>(lines);
        out.add(key + "|" + passwordHash);
        return out;
    }

    /** Replaces the hash of an account, keeping its attributes; refuses a missing one. */
    public static List<String> updatePassword(List<String> lines, String address, String passwordHash) {
        String key = requireAddress(address);
        int i = find(lines, key);
        if (i < 0) {
            throw new DmsEditException("'" + key + "' does not exist");
        }
        requireHash(passwordHash);
        String[] f = lines.get(i).strip().split("\\|", 3);
        List<String> out = new ArrayList<>(lines);
        out.set(i, key + "|" + passwordHash + (f.length > 2 ? "|" + f[2] : ""));
        return out;
    }

    /** Removes an account's line(s); unchanged when absent. */
    public static List<String> remove(List<String> lines, String address) {
        return DmsLines.withoutKey(lines, requireAddress(address), AccountsFile::keyOf);
    }

    /** Index of the first line of the account, -1 when absent (exact key match: user3 is not auser3). */
    static int find(List<String> lines, String key) {
        return DmsLines.indexOfKey(lines, key, AccountsFile::keyOf);
    }

    private static String keyOf(String line) {
        if (DmsLines.isIgnorable(line)) {
            return null;
        }
        return DmsLines.addressKey(line.strip().split("\\|", 2)[0].strip()).orElse(null);
    }

    static String requireAddress(String address) {
        if (address == null || address.indexOf('@') < 0) {
            throw new DmsEditException("'" + address + "' should include the domain (user@example.com)");
        }
        return DmsLines.addressKey(address).orElseThrow(
                () -> new DmsEditException("'" + address + "' is not a valid email address"));
    }

    private static void requireHash(String hash) {
        if (hash == null || hash.isBlank() || hash.contains("|") || hash.contains("\n")) {
            throw new DmsEditException("invalid password hash (empty, or contains '|' or a newline)");
        }
    }
}
