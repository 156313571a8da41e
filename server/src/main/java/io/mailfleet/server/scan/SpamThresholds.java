package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;

import java.util.List;

/**
 * docker-mailserver's SpamAssassin thresholds applied to a score: at {@code SA_TAG} the
 * {@code X-Spam-*} header fields amavis adds, at {@code SA_TAG2} {@code X-Spam-Flag: YES} (delivery then
 * files it in Junk and prefixes {@code SPAM_SUBJECT}, see docs/sieve.md), at {@code SA_KILL} a
 * {@code 554 5.7.1} refusal before the {@code 250} unless {@code SPAMASSASSIN_SPAM_TO_INBOX}.
 * docker-mailserver silently drops such mail instead (amavis' D_BOUNCE without DSN); refusing at the
 * end of DATA loses nothing and tells the sender.
 */
public record SpamThresholds(double tag, double tag2, double kill, boolean spamToInbox) {

    static final SmtpReply REJECTED = new SmtpReply(554, "5.7.1", "Spam message rejected");

    /** What a message of {@code score} with these rules hit gets. */
    ScanVerdict apply(double score, List<String> tests) {
        String shown = format(score);
        if (score >= kill && !spamToInbox) {
            return new ScanVerdict(new CheckResult.Refuse(REJECTED, "spam score=" + shown), "score=" + shown + " kill");
        }
        if (score < tag) {
            return new ScanVerdict(CheckResult.ACCEPT, "score=" + shown + " clean");
        }
        boolean spam = score >= tag2;
        String fields = "X-Spam-Flag: " + (spam ? "YES" : "NO") + "\r\n"
                + "X-Spam-Score: " + shown + "\r\n"
                + "X-Spam-Level: " + "*".repeat((int) Math.max(0, Math.min(64, Math.floor(score)))) + "\r\n"
                + "X-Spam-Status: " + (spam ? "Yes" : "No") + ", score=" + shown + " tagged_above=" + format(tag)
                + " required=" + format(tag2) + tests(tests) + "\r\n";
        return new ScanVerdict(new CheckResult.Note(fields, null),
                "score=" + shown + (score >= kill ? " kill, delivered as spam" : spam ? " spam" : " tagged"));
    }

    /** {@code tests=[A, B]} folded so no line gets long. */
    private static String tests(List<String> tests) {
        StringBuilder b = new StringBuilder("\r\n\ttests=[");
        int line = 8;
        for (int i = 0; i < tests.size(); i++) {
            String t = ClamdScanner.printable(tests.get(i)).replace(" ", "");
            if (t.isEmpty()) {
                continue;
            }
            if (line + t.length() > 70) {
                b.append("\r\n\t");
                line = 1;
            }
            b.append(t);
            line += t.length();
            if (i < tests.size() - 1) {
                b.append(", ");
                line += 2;
            }
        }
        return b.append(']').toString();
    }

    /** A score with at most three decimals and no trailing zeros, as SpamAssassin writes it ({@code 5}, {@code 2.5}). */
    static String format(double d) {
        // no String.format or regular expression: this runs for every symbol of every scored message
        return java.math.BigDecimal.valueOf(d).setScale(3, java.math.RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }
}
