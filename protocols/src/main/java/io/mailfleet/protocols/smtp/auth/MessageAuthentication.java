package io.mailfleet.protocols.smtp.auth;

import io.mailfleet.core.auth.dmarc.ArcOverride;
import io.mailfleet.core.auth.dmarc.DmarcRecord;
import io.mailfleet.core.auth.dmarc.DmarcResult;
import io.mailfleet.core.auth.dmarc.report.DmarcFailure;
import io.mailfleet.core.auth.dmarc.report.DmarcFailureOptions;
import io.mailfleet.core.auth.results.ArcOutcome;
import io.mailfleet.core.auth.results.AuthenticationResults;
import io.mailfleet.core.dkim.ArcVerifier;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.dkim.DkimMessage;
import io.mailfleet.core.dkim.DkimResult;
import io.mailfleet.core.dkim.DkimStream;
import io.mailfleet.core.dkim.DkimVerifier;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.DataCheck;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageCheck;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.protocols.smtp.check.MxOnly;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The end-of-data authentication check on port 25 for clients that may not relay: verifies the DKIM
 * signatures of the message while it streams in (body hashes as the bytes pass, keys from DNS after the
 * message is stored) and prepends one {@code Authentication-Results:} field with the SPF outcome of
 * the transaction, the DKIM results and, when on, DMARC: a failing message whose domain asks for reject
 * is refused with {@code 550 5.7.1} before the {@code 250}, one asking for quarantine is marked
 * {@code X-Spam-Flag: YES} (the delivery files spam into Junk). The ARC chain (RFC 8617) is validated from
 * the same read; a passing chain from a trusted sealer overrides a DMARC failure (delivered, noted). A
 * DMARC failure may be handed on for a failure report (RFC 7489 section 7.3, when those are on).
 */
public final class MessageAuthentication implements DataCheck, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");

    private final DkimVerifier verifier;
    private final int maxSignatures;
    private final int maxHeaderBytes;
    private final String authservId;
    private final Consumer<AuthenticationResults> observer;
    private final DmarcPolicy dmarc;
    private final ArcVerifier arc;
    private final ArcOverride arcOverride;
    private final RecipientDomainRules domainRules;

    /** As the full constructor, without ARC. */
    public MessageAuthentication(DkimVerifier verifier, int maxSignatures, int maxHeaderBytes, String authservId,
                                 Consumer<AuthenticationResults> observer, DmarcPolicy dmarc) {
        this(verifier, maxSignatures, maxHeaderBytes, authservId, observer, dmarc, false, new ArcOverride(List.of()));
    }

    /**
     * @param maxSignatures  DKIM signatures verified per message at most (the topmost ones)
     * @param maxHeaderBytes header section kept for verification at most
     * @param authservId     this host's name, the authserv-id of the field
     * @param observer       told every message's results (metrics); must be quick
     * @param dmarc          DMARC evaluation and enforcement, or null when DMARC is off
     * @param arc            validate ARC chains (RFC 8617) in the same read as DKIM
     * @param arcOverride    the trusted sealers whose passing chain overrides a DMARC failure
     */
    public MessageAuthentication(DkimVerifier verifier, int maxSignatures, int maxHeaderBytes, String authservId,
                                 Consumer<AuthenticationResults> observer, DmarcPolicy dmarc, boolean arc,
                                 ArcOverride arcOverride) {
        this(verifier, maxSignatures, maxHeaderBytes, authservId, observer, dmarc, arc, arcOverride,
                RecipientDomainRules.NONE);
    }

    /** As above, with the DMARC action and trusted sealers of particular recipient domains. */
    public MessageAuthentication(DkimVerifier verifier, int maxSignatures, int maxHeaderBytes, String authservId,
                                 Consumer<AuthenticationResults> observer, DmarcPolicy dmarc, boolean arc,
                                 ArcOverride arcOverride, RecipientDomainRules domainRules) {
        this.domainRules = domainRules;
        this.dmarc = dmarc;
        this.arc = arc ? new ArcVerifier(verifier) : null;
        this.arcOverride = arcOverride;
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
            SpfOutcome spf = start.fact(SpfOutcome.class).orElse(null);
            // DKIM and the ARC chain from the same read; their key lookups run side by side
            CompletableFuture<ArcOutcome> chain = arc == null ? CompletableFuture.completedFuture(null)
                    : arc.verify(message).toCompletableFuture()
                    .thenApply(r -> new ArcOutcome(r, start.client().remoteIp(), null));
            return verifier.verify(message).thenCompose(dkim -> (dmarc == null
                    ? CompletableFuture.<DmarcResult>completedFuture(null)
                    : dmarc.evaluator().evaluate(message.fieldValues("From"), spf, dkim))
                    .thenCombine(chain, (dmarcResult, arcOutcome) -> decide(new AuthenticationResults(authservId,
                            spf, dkim, message.notVerified(), dmarcResult, arcOutcome), message)));
        }

        private CheckResult decide(AuthenticationResults checked, DkimMessage message) {
            // the recipients' domains may have their own action and sealers; one answer for all, the most lenient
            DmarcPolicy.Action action = dmarc == null ? null : domainRules.action(start.recipients(), dmarc.action());
            DmarcRecord.Policy disposition = checked.dmarc() == null || action == DmarcPolicy.Action.TAG
                    ? DmarcRecord.Policy.NONE : checked.dmarc().disposition();
            if (disposition == DmarcRecord.Policy.REJECT && action == DmarcPolicy.Action.QUARANTINE) {
                disposition = DmarcRecord.Policy.QUARANTINE;
            }
            ArcOutcome arcOutcome = checked.arc();
            if (disposition != DmarcRecord.Policy.NONE && arcOutcome != null) {
                for (ArcOverride o : domainRules.arcOverrides(start.recipients(), arcOverride)) {
                    var sealer = o.overridingSealer(checked.dmarc(), arcOutcome.result());
                    if (sealer.isPresent()) {
                        disposition = DmarcRecord.Policy.NONE;
                        arcOutcome = arcOutcome.overriddenBy(sealer.get());
                        break;
                    }
                }
            }
            // dis= in the field says what this server did, after sampling, the configured action and ARC
            DmarcResult d = checked.dmarc();
            AuthenticationResults results = d == null ? checked : new AuthenticationResults(checked.authservId(),
                    checked.spf(), checked.dkim(), checked.dkimNotVerified(), d.withDisposition(disposition),
                    arcOutcome);
            if (d != null) {
                DmarcReportRows.of(start, results, System.currentTimeMillis()).ifPresent(dmarc.reports()::record);
                if (dmarc.failures().enabled() && DmarcFailureOptions.anyFailure(results)) {
                    dmarc.failures().report(new DmarcFailure(results, start.sender(), start.client().remoteIp(),
                            Instant.now(), message.headerText()));
                }
            }
            LOG.info("session={} txn={} authentication: {}{}{}", start.client().sessionId(), start.transactionId(),
                    summary(results), disposition == DmarcRecord.Policy.NONE ? "" : " action=" + disposition.keyword(),
                    results.arc() != null && results.arc().overridingSealer() != null
                            ? " dmarc-override=arc:" + results.arc().overridingSealer() : "");
            observer.accept(results);
            if (disposition == DmarcRecord.Policy.REJECT) {
                String domain = results.dmarc().fromDomain();
                return CheckResult.refuse(new SmtpReply(550, "5.7.1", "Rejected by DMARC policy for " + domain),
                        "dmarc=fail p=reject header.from=" + domain);
            }
            // quarantine: marked as spam, so the delivery's spam rule files it into Junk
            String fields = results.field() + (disposition == DmarcRecord.Policy.QUARANTINE
                    ? "X-Spam-Flag: YES\r\n" : "");
            return new CheckResult.Note(fields, null, List.of(results));
        }
    }

    /** {@code spf=pass dkim=pass:example.com,fail:example.net} for the log line. */
    static String summary(AuthenticationResults r) {
        String spf = r.spf() == null ? "spf=none(not checked)" : "spf=" + r.spf().result().keyword();
        String dkim = r.dkim().isEmpty() ? "none" : r.dkim().stream()
                .map(d -> d.status().keyword() + ":" + (d.domain() == null ? "?" : d.domain()))
                .collect(Collectors.joining(","));
        return spf + " dkim=" + dkim + (r.dmarc() == null ? "" : " dmarc=" + r.dmarc().status().keyword()
                + (r.dmarc().fromDomain() == null ? "" : ":" + r.dmarc().fromDomain()))
                + (r.arc() == null ? "" : " arc=" + r.arc().result().status().keyword()
                + (r.arc().result().instances() == 0 ? "" : ":i=" + r.arc().result().instances()));
    }
}
