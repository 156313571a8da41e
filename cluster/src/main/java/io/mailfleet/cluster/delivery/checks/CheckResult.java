package io.mailfleet.cluster.delivery.checks;

import java.util.List;

/** What one inbound check decided about a message for one recipient. */
public sealed interface CheckResult {

    /** Nothing to say: the message goes on unchanged. */
    record Accept() implements CheckResult {
    }

    /**
     * The message goes on with these header fields added on top (e.g. {@code Authentication-Results},
     * {@code X-Spam-Status}), where Sieve and the user's client see them. Each entry is one complete
     * field, {@code Name: value}, without the line end.
     */
    record Annotate(List<String> fields) implements CheckResult {
        public Annotate {
            fields = List.copyOf(fields);
            for (String f : fields) {
                if (f.indexOf(':') <= 0 || f.contains("\r") || f.contains("\n")) {
                    throw new IllegalArgumentException("not a one-line header field: " + f);
                }
            }
        }
    }

    /** The recipient does not get it: the target fails and the sender gets a bounce (status 5.7.1, this reason). */
    record Reject(String reason) implements CheckResult {
    }

    /** Not now: the target stays queued and is tried again later (greylisting, a DNS time-out). */
    record Defer(String reason) implements CheckResult {
    }

    /** Kept away from the inbox: stored in the recipient's quarantine folder, Sieve does not run. */
    record Quarantine(String reason) implements CheckResult {
    }
}
