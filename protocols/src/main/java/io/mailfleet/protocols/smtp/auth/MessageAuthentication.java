package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimStream;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The end-of-data authentication check on port 25 for clients that may not relay: verifies the DKIM
 * signatures of the message while it streams in (body hashes as the bytes pass, keys from DNS after the
 * message is stored) and prepends one {@code Authentication-Results:} field with the SPF outcome of
 * the transaction and the DKIM results. It never refuses on its own: DKIM results are information.
 */
public final class MessageAuthentication implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    private final DkimVerifier verifier;
    private final int maxSignatures;
    private final int maxHeaderBytes;
    private final String authservId;
    private final Consumer<AuthenticationResults> observer;

    /**
     * @param maxSignatures  DKIM signatures verified per message at most (the topmost ones)
     * @param maxHeaderBytes header section kept for verification at most
     * @param authservId     this host's name, the authserv-id of the field
     * @param observer       told every message's results (metrics); must be quick
     */
    public MessageAuthentication(DkimVerifier verifier, int maxSignatures, int maxHeaderBytes, String authservId,
                                 Consumer<AuthenticationResults> observer) {
        this.verifier = verifier;
        this.maxSignatures = maxSignatures;
        this.maxHeaderBytes = maxHeaderBytes;
        this.authservId = authservId;
        this.observer = observer;
    }

    @Override
    public MessageCheck open(MessageStart start) {
        if (start.relay()) {
            return null;
        }
        return new Check(start, verifier.stream(maxSignatures, maxHeaderBytes));
    }

    private final class Check implements MessageCheck {
        private final MessageStart start;
        private final DkimStream stream;

        Check(MessageStart start, DkimStream stream) {
            this.start = start;
            this.stream = stream;
        }

        @Override
        public void observe(ByteBuffer stored) {
            stream.feed(stored);
        }

        @Override
        public CompletionStage<CheckResult> decide(MessageAttempt attempt) {
            var message = stream.finish();
            return verifier.verify(message).thenApply(dkim -> {
                AuthenticationResults results = new AuthenticationResults(authservId,
                        start.fact(SpfOutcome.class).orElse(null), dkim, message.notVerified());
                LOG.info("session={} txn={} authentication: {}", start.client().sessionId(), start.transactionId(),
                        summary(results));
                observer.accept(results);
                return new CheckResult.Note(results.field(), null, List.of(results));
            });
        }
    }

    /** {@code spf=pass dkim=pass:example.com,fail:example.net} for the log line. */
    static String summary(AuthenticationResults r) {
        String spf = r.spf() == null ? "spf=none(not checked)" : "spf=" + r.spf().result().keyword();
        String dkim = r.dkim().isEmpty() ? "none" : r.dkim().stream()
                .map(d -> d.status().keyword() + ":" + (d.domain() == null ? "?" : d.domain()))
                .collect(Collectors.joining(","));
        return spf + " dkim=" + dkim;
    }
}
