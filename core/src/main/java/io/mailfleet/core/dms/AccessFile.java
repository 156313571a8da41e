package io.mailfleet.core.dms;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code postfix-send-access.cf} and {@code postfix-receive-access.cf}: {@code address REJECT}, as
 * {@code setup email restrict} writes them. Only full addresses are supported as keys.
 */
public final class AccessFile {

    public static final String SEND = "postfix-send-access.cf";
    public static final String RECEIVE = "postfix-receive-access.cf";

    private AccessFile() {
    }

    /**
     * Parses the lines and returns the denied addresses. {@code REJECT} (with optional text) and
     * 4xx/5xx codes deny; {@code OK}/{@code DUNNO} are accepted and deny nothing; anything else is reported.
     */
    public static ParseResult<String> parse(String fileName, List<String> lines) {
        ParseCollector<String> c = new ParseCollector<>(fileName);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (DmsLines.isIgnorable(line)) {
                continue;
            }
            String s = DmsLines.content(line);
            String addr = DmsLines.firstToken(s);
            String action = s.substring(addr.length()).strip();
            Optional<String> key = DmsLines.addressKey(addr);
            if (key.isEmpty()) {
                c.problem(i + 1, line, "'" + addr
                        + "' is not a full email address (only user@example.com keys are supported)");
                continue;
            }
            String a = action.toUpperCase(Locale.ROOT);
            if (a.isEmpty()) {
                c.problem(i + 1, line, "no action after " + key.get() + " (expected REJECT)");
            } else if (a.startsWith("REJECT") || a.matches("[45][0-9][0-9]( .*)?")) {
                if (c.first(key.get())) {
                    c.add(key.get());
                }
            } else if (!a.equals("OK") && !a.equals("DUNNO")) {
                c.problem(i + 1, line, "unsupported action '" + action + "' (expected REJECT)");
            }
        }
        return c.result();
    }

    /** Adds {@code address REJECT}; unchanged when the address is already listed. */
    public static List<String> add(List<String> lines, String address) {
        String key = AccountsFile.requireAddress(address);
        List<String> out = new ArrayList<>(lines);
        if (out.stream().noneMatch(l -> key.equals(keyOf(l)))) {
            out.add(key + " \t\t REJECT");
        }
        return out;
    }

    /** Removes the address's lines; unchanged when absent. */
    public static List<String> remove(List<String> lines, String address) {
        return DmsLines.withoutKey(lines, AccountsFile.requireAddress(address), AccessFile::keyOf);
    }

    private static String keyOf(String line) {
        return DmsLines.isIgnorable(line) ? null
                : DmsLines.addressKey(DmsLines.firstToken(DmsLines.content(line))).orElse(null);
    }
}
