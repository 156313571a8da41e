package io.mailfleet.server.imap;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one IMAP client was told about its selected mailbox, checked response by response the way
 * imaptest's state tracking does: sequence numbers in range, EXISTS never shrinking, EXPUNGE only
 * where allowed, UIDs consistent with their positions, keywords announced before FETCH shows them,
 * nothing after BYE. Every violation is recorded as an error text.
 */
final class ImapClientModel {

    private static final Pattern NUMBERED = Pattern.compile("^\\* (\\d+) (EXISTS|EXPUNGE|RECENT|FETCH)(.*)$");
    private static final Pattern FETCH_UID = Pattern.compile("[( ]UID (\\d+)");
    private static final Pattern FETCH_FLAGS = Pattern.compile("FLAGS \\(([^)]*)\\)");
    private static final Pattern FLAGS = Pattern.compile("^\\* FLAGS \\(([^)]*)\\)$");

    private final String name;
    private final List<String> errors;
    /** UIDs by sequence number minus one; 0 when not learnt yet. */
    private List<Long> uids = new ArrayList<>();
    private Set<String> announced = new HashSet<>();
    private boolean bye;
    private int expungesSeen;

    ImapClientModel(String name, List<String> errors) {
        this.name = name;
        this.errors = errors;
    }

    int exists() {
        return uids.size();
    }

    int expungesSeen() {
        return expungesSeen;
    }

    /** A new SELECT starts from an empty view. */
    void selecting() {
        uids = new ArrayList<>();
        announced = new HashSet<>();
    }

    /** Checks every line of the answer to {@code command}; {@code lines} ends with the tagged reply. */
    void check(String command, List<String> lines) {
        String verb = command.toUpperCase(Locale.ROOT);
        boolean expungeForbidden = verb.startsWith("FETCH") || verb.startsWith("STORE") || verb.startsWith("SEARCH");
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            boolean tagged = i == lines.size() - 1;
            if (bye && !tagged) {
                error(command, "untagged response after BYE: " + l);
                continue;
            }
            if (tagged) {
                if (l.matches("\\S+ BAD.*")) {
                    error(command, "refused: " + l);
                }
                continue;
            }
            if (l.startsWith("* BYE")) {
                bye = true;
                continue;
            }
            Matcher f = FLAGS.matcher(l);
            if (f.matches()) {
                announced = new HashSet<>(List.of(f.group(1).split(" ")));
                continue;
            }
            Matcher m = NUMBERED.matcher(l);
            if (!m.matches()) {
                continue;
            }
            int n = Integer.parseInt(m.group(1));
            switch (m.group(2)) {
                case "EXISTS" -> {
                    if (n < uids.size()) {
                        error(command, "EXISTS shrank from " + uids.size() + " to " + n);
                    }
                    while (uids.size() < n) {
                        uids.add(0L);
                    }
                }
                case "EXPUNGE" -> {
                    if (expungeForbidden) {
                        error(command, "EXPUNGE during " + verb.split(" ")[0] + ": " + l);
                    }
                    if (n < 1 || n > uids.size()) {
                        error(command, "EXPUNGE of " + n + " with " + uids.size() + " messages");
                    } else {
                        uids.remove(n - 1);
                        expungesSeen++;
                    }
                }
                case "RECENT" -> {
                    if (n > uids.size()) {
                        error(command, "RECENT " + n + " above EXISTS " + uids.size());
                    }
                }
                default -> fetch(command, n, m.group(3));
            }
        }
    }

    private void fetch(String command, int n, String rest) {
        if (n < 1 || n > uids.size()) {
            error(command, "FETCH of " + n + " with " + uids.size() + " messages: " + rest);
            return;
        }
        Matcher u = FETCH_UID.matcher(rest);
        if (u.find()) {
            long uid = Long.parseLong(u.group(1));
            long known = uids.get(n - 1);
            if (known != 0 && known != uid) {
                error(command, "message " + n + " was UID " + known + ", now UID " + uid);
            }
            for (int i = n - 2; i >= 0; i--) {
                if (uids.get(i) != 0) {
                    if (uids.get(i) >= uid) {
                        error(command, "UID " + uid + " at " + n + " not above UID " + uids.get(i) + " at " + (i + 1));
                    }
                    break;
                }
            }
            for (int i = n; i < uids.size(); i++) {
                if (uids.get(i) != 0) {
                    if (uids.get(i) <= uid) {
                        error(command, "UID " + uid + " at " + n + " not below UID " + uids.get(i) + " at " + (i + 1));
                    }
                    break;
                }
            }
            uids.set(n - 1, uid);
        }
        Matcher fl = FETCH_FLAGS.matcher(rest);
        if (fl.find() && !fl.group(1).isEmpty()) {
            for (String flag : fl.group(1).split(" ")) {
                if (!flag.startsWith("\\") && !announced.contains(flag)) {
                    error(command, "keyword " + flag + " used before * FLAGS announced it: " + rest);
                }
            }
        }
    }

    private void error(String command, String what) {
        synchronized (errors) {
            errors.add(name + " [" + command + "] " + what);
        }
    }
}
