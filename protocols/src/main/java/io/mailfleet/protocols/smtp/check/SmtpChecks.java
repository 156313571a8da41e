package io.mailfleet.protocols.smtp.check;

import io.mailfleet.protocols.smtp.SmtpReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The checks of each stage, in the order they run: connect, MAIL, RCPT and the end of data. The
 * handlers run the built-in syntax, address and policy rules first, then these.
 */
public record SmtpChecks(List<SmtpCheck<ConnectAttempt>> connect, List<SmtpCheck<MailAttempt>> mail,
                         List<SmtpCheck<RcptAttempt>> rcpt, List<DataCheck> data) {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    /** Postfix's reply when a policy service cannot answer: try again later. */
    static final SmtpReply CHECK_FAILED = new SmtpReply(451, "4.3.5", "Server configuration problem");

    /** No check at any stage. */
    public static final SmtpChecks NONE = new SmtpChecks(List.of(), List.of(), List.of(), List.of());

    public SmtpChecks {
        connect = List.copyOf(connect);
        mail = List.copyOf(mail);
        rcpt = List.copyOf(rcpt);
        data = List.copyOf(data);
    }

    /** Checks at connect, MAIL and RCPT, none at the end of data. */
    public SmtpChecks(List<SmtpCheck<ConnectAttempt>> connect, List<SmtpCheck<MailAttempt>> mail,
                      List<SmtpCheck<RcptAttempt>> rcpt) {
        this(connect, mail, rcpt, List.of());
    }

    /** These checks and {@code check} after them at connect time. */
    public SmtpChecks withConnect(SmtpCheck<ConnectAttempt> check) {
        return new SmtpChecks(append(connect, check), mail, rcpt, data);
    }

    /** These checks and {@code check} after them at MAIL FROM. */
    public SmtpChecks withMail(SmtpCheck<MailAttempt> check) {
        return new SmtpChecks(connect, append(mail, check), rcpt, data);
    }

    /** These checks and {@code check} after them at RCPT TO. */
    public SmtpChecks withRcpt(SmtpCheck<RcptAttempt> check) {
        return new SmtpChecks(connect, mail, append(rcpt, check), data);
    }

    /** These checks and {@code check} after them at the end of data. */
    public SmtpChecks withData(DataCheck check) {
        return new SmtpChecks(connect, mail, rcpt, Stream.concat(data.stream(), Stream.of(check)).toList());
    }

    /** These checks, then {@code later}'s, at each stage. */
    public SmtpChecks then(SmtpChecks later) {
        return new SmtpChecks(Stream.concat(connect.stream(), later.connect.stream()).toList(),
                Stream.concat(mail.stream(), later.mail.stream()).toList(),
                Stream.concat(rcpt.stream(), later.rcpt.stream()).toList(),
                Stream.concat(data.stream(), later.data.stream()).toList());
    }

    /** The checks that run on a listener of {@code mode}: without the {@link MxOnly} ones on submission. */
    public SmtpChecks forMode(io.mailfleet.protocols.smtp.SmtpMode mode) {
        if (!mode.isSubmission()) {
            return this;
        }
        return new SmtpChecks(mxFree(connect), mxFree(mail), mxFree(rcpt),
                data.stream().filter(c -> !(c instanceof MxOnly)).toList());
    }

    private static <T> List<SmtpCheck<T>> mxFree(List<SmtpCheck<T>> list) {
        return list.stream().filter(c -> !(c instanceof MxOnly)).toList();
    }

    private static <T> List<SmtpCheck<T>> append(List<SmtpCheck<T>> list, SmtpCheck<T> check) {
        return Stream.concat(list.stream(), Stream.of(check)).toList();
    }

    /**
     * Runs {@code checks} one after the other until one refuses. Never completes exceptionally: a check
     * that throws or fails refuses with {@code 451 4.3.5}, so a broken check defers mail instead of
     * accepting it unchecked. Already complete when every check answered at once (an empty list included).
     */
    public static <T> CompletableFuture<CheckResult> inOrder(List<SmtpCheck<T>> checks, T attempt) {
        return next(checks, 0, attempt);
    }

    private static <T> CompletableFuture<CheckResult> next(List<SmtpCheck<T>> checks, int i, T attempt) {
        if (i == checks.size()) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        SmtpCheck<T> check = checks.get(i);
        CompletionStage<CheckResult> stage;
        try {
            stage = check.check(attempt);
        } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
        }
        return stage.toCompletableFuture().handle((result, err) -> {
            if (err != null || result == null) {
                LOG.warn("SMTP check {} failed: {}", check.getClass().getName(), err == null ? "no result" : err.toString());
                return CompletableFuture.completedFuture(
                        CheckResult.refuse(CHECK_FAILED, "check failed: " + check.getClass().getSimpleName()));
            }
            if (result instanceof CheckResult.Refuse) {
                return CompletableFuture.completedFuture(result);
            }
            CompletableFuture<CheckResult> rest = next(checks, i + 1, attempt);
            if (result instanceof CheckResult.Rewritten rewritten) {
                // a later rewrite wins (it read the received message too), with this one's facts (envelope
                // changes) before its own; a later note's fields are kept
                return rest.thenApply(r -> r instanceof CheckResult.Note later ? rewritten.and(later)
                        : r instanceof CheckResult.Accept ? rewritten
                        : r instanceof CheckResult.Rewritten rw ? rw.after(new CheckResult.Note("", null,
                        rewritten.facts())) : r);
            }
            // a note survives the checks after it unless one of them refuses
            return result instanceof CheckResult.Note note ? rest.thenApply(r -> r instanceof CheckResult.Note later
                    ? note.and(later) : r instanceof CheckResult.Rewritten rw ? rw.after(note)
                    : r instanceof CheckResult.Refuse ? r : note) : rest;
        }).thenCompose(f -> f);
    }
}
