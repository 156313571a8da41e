package io.mailfleet.protocols.smtp.command;

import io.mailfleet.protocols.smtp.SmtpReply;

import java.util.function.Consumer;

/** A command argument parsed into a typed request, or the reply that refuses it. */
public sealed interface Parsed<T> {

    /** The argument is well formed and acceptable to this listener. */
    record Ok<T>(T request) implements Parsed<T> {
    }

    /**
     * The argument is refused with {@code reply}.
     *
     * @param path      the command's address, for the log line (only set when {@code logReason} is)
     * @param logReason the reason logged as a rejected decision, null when the refusal is not logged
     */
    record Refused<T>(SmtpReply reply, String path, String logReason) implements Parsed<T> {
    }

    /** The request, or null after handing the refusal to {@code refused}. */
    default T requestOr(Consumer<Refused<T>> refused) {
        if (this instanceof Ok<T> ok) {
            return ok.request();
        }
        refused.accept((Refused<T>) this);
        return null;
    }

    static <T> Parsed<T> ok(T request) {
        return new Ok<>(request);
    }

    static <T> Parsed<T> refused(int code, String enhanced, String text) {
        return new Refused<>(new SmtpReply(code, enhanced, text), null, null);
    }
}
