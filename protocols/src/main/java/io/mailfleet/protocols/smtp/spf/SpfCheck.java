package io.mailfleet.protocols.smtp.spf;

import io.mailfleet.core.auth.spf.SpfEvaluator;
import io.mailfleet.core.auth.spf.SpfOutcome;
import io.mailfleet.core.auth.spf.SpfResult;
import io.mailfleet.core.auth.spf.SpfVerdict;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.MailAttempt;
import io.mailfleet.protocols.smtp.check.MxOnly;
import io.mailfleet.protocols.smtp.check.RcptRefusalScope;
import io.mailfleet.protocols.smtp.check.SmtpCheck;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * The SPF check at MAIL FROM (RFC 7208) for untrusted, unauthenticated clients: the MAIL FROM identity,
 * or the HELO identity for the null sender. It never refuses MAIL itself: like policyd-spf behind
 * Postfix it notes a {@code Received-SPF:} field for the message and, for {@code fail} (and
 * {@code temperror} unless accepted), a refusal every RCPT of the transaction gets. The evaluation is
 * asynchronous; the session waits for it without blocking its event loop.
 */
public final class SpfCheck implements SmtpCheck<MailAttempt>, MxOnly {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.smtp");
    private static final int MAX_EXPLANATION = 200;

    private final SpfEvaluator evaluator;
    private final SpfPolicy policy;
    private final String receiver;
    private final Consumer<SpfResult> observer;

    /** @param receiver this host's name, in the header and the %{r} macro */
    public SpfCheck(SpfEvaluator evaluator, SpfPolicy policy, String receiver) {
        this(evaluator, policy, receiver, r -> {
        });
    }

    /** As above, telling {@code observer} every result (the metrics count them; it must be quick). */
    public SpfCheck(SpfEvaluator evaluator, SpfPolicy policy, String receiver, Consumer<SpfResult> observer) {
        this.observer = observer;
        this.evaluator = evaluator;
        this.policy = policy;
        this.receiver = receiver;
    }

    @Override
    public CompletionStage<CheckResult> check(MailAttempt attempt) {
        InetAddress ip = attempt.client().remoteAddress();
        if (attempt.client().login() != null || ip == null
                || policy.trusted().stream().anyMatch(c -> c.contains(ip))) {
            return CompletableFuture.completedFuture(CheckResult.ACCEPT);
        }
        String sender = attempt.request().sender();
        String helo = attempt.client().helo();
        return evaluator.checkMailFrom(ip, sender, helo).thenApply(v -> decide(v, ip, sender, helo));
    }

    private CheckResult decide(SpfVerdict v, InetAddress ip, String sender, String helo) {
        boolean heloIdentity = sender.isEmpty();
        String identity = heloIdentity ? "postmaster@" + (helo == null ? "" : helo) : sender;
        String field = ReceivedSpf.field(v, ip, identity, sender, helo, receiver, heloIdentity);
        CheckResult.Refuse atRcpt = null;
        List<Object> facts = new ArrayList<>();
        facts.add(new SpfOutcome(v.result(), heloIdentity ? (helo == null ? "" : helo) : sender, heloIdentity));
        if (v.result() == SpfResult.FAIL && policy.anyRejects()) {
            String exp = v.explanation() == null ? "" : " " + printable(v.explanation());
            atRcpt = new CheckResult.Refuse(new SmtpReply(550, "5.7.23",
                    "Message rejected due to: SPF fail - not authorized." + exp), "spf=fail " + v.reason());
            if (!policy.domainActions().isEmpty()) {
                // recipient domains with their own action: the refusal is for the RCPTs of those that reject
                facts.add(new RcptRefusalScope(atRcpt,
                        rcpt -> policy.failActionFor(rcpt) == SpfPolicy.FailAction.REJECT));
            }
        } else if (v.result() == SpfResult.TEMPERROR && !policy.acceptTemperror()) {
            atRcpt = new CheckResult.Refuse(new SmtpReply(451, "4.7.24",
                    "Message deferred due to: SPF temperror - the sender's SPF record could not be checked; "
                            + "try again later"), "spf=temperror " + v.reason());
        }
        LOG.debug("SPF {} for {} from {}: {}", v.result().keyword(), identity, ip.getHostAddress(), v.reason());
        observer.accept(v.result());
        return new CheckResult.Note(field, atRcpt, facts);
    }

    /** The domain's explanation is the sender's text in our reply: printable ASCII only, and short. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < MAX_EXPLANATION; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return b.toString();
    }
}
