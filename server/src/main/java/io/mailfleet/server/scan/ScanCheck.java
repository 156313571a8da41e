package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CompletionStage;

/**
 * An external scanner as an end-of-data check: every call through its {@link ScannerGuard}, one log
 * line per decision, and a failed call either deferred ({@code 451 4.7.1}: the client keeps the
 * message and retries) or, with fail-open, accepted unscanned. Nothing is read while the data streams
 * in: the scanner reads the committed blob.
 */
public class ScanCheck implements DataCheck {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    private final Scanner scanner;
    private final ScannerGuard guard;
    private final boolean failOpen;

    ScanCheck(Scanner scanner, ScannerGuard guard, boolean failOpen) {
        this.scanner = scanner;
        this.guard = guard;
        this.failOpen = failOpen;
    }

    /** The check for {@code scanner}; kept off the submission ports unless {@code submissionToo}. */
    public static ScanCheck of(Scanner scanner, ScannerGuard guard, boolean failOpen, boolean submissionToo) {
        return submissionToo ? new ScanCheck(scanner, guard, failOpen) : new MxOnlyScanCheck(scanner, guard, failOpen);
    }

    @Override
    public MessageCheck open(MessageStart start) {
        return scanner.concerns(start) ? this::decide : null;
    }

    private CompletionStage<CheckResult> decide(MessageAttempt attempt) {
        MessageStart t = attempt.start();
        if (attempt.size() > scanner.sizeLimit()) {
            log(t, "not scanned: " + attempt.size() + " octets over the limit of " + scanner.sizeLimit(), "accepted");
            return java.util.concurrent.CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        return guard.call(() -> scanner.scan(attempt)).handle((v, err) -> {
            if (err == null) {
                log(t, v.verdict(), v.result() instanceof CheckResult.Refuse r ? r.reply().line() : "accepted");
                return v.result();
            }
            ScanFailure f = ScanFailure.of(err);
            String why = "scan failed (" + f.kind().name().toLowerCase(java.util.Locale.ROOT) + "): " + f.getMessage();
            if (failOpen) {
                log(t, why, "accepted unscanned (fail-open)");
                return CheckResult.ACCEPT;
            }
            SmtpReply reply = new SmtpReply(451, "4.7.1", scanner.unavailableText());
            log(t, why, reply.line());
            return new CheckResult.Refuse(reply, scanner.name() + " " + why);
        });
    }

    private void log(MessageStart t, String verdict, String action) {
        LOG.info("scanner={} session={} txn={} from=<{}> to={} verdict=\"{}\" action=\"{}\"", scanner.name(),
                t.client().sessionId(), t.transactionId(), t.sender(), t.recipients(), verdict, action);
    }

    /** The same check, off the submission ports. */
    private static final class MxOnlyScanCheck extends ScanCheck implements MxOnly {
        MxOnlyScanCheck(Scanner scanner, ScannerGuard guard, boolean failOpen) {
            super(scanner, guard, failOpen);
        }
    }
}
