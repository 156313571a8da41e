package io.mailfleet.cluster.delivery.remote;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.OutboundPolicy;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.delivery.report.Reports;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.dkim.ArcSealer;
import io.mailfleet.core.dkim.DkimSigner;
import io.mailfleet.core.dkim.DkimSigningKey;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.RemoteTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * One remote delivery round of a message: SRS-rewrites the sender of forwarded mail, DKIM-signs mail
 * from authenticated senders whose domain has a key (one streaming pass over the blob), ARC-seals
 * forwarded mail with the forwarding domain's key, then hands
 * the remote targets to the {@link RemoteTransport}.
 */
public final class RemoteSender {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteSender.class);

    private final OutboundPolicy policy;
    private final BlobStore blobs;
    private final Supplier<DirectoryView> directory;
    private final Executor blocking;

    public RemoteSender(OutboundPolicy policy, BlobStore blobs, Supplier<DirectoryView> directory, Executor blocking) {
        this.policy = policy;
        this.blobs = blobs;
        this.directory = directory;
        this.blocking = blocking;
    }

    /** Outcomes aligned with {@code indices}; never completes exceptionally. */
    public CompletionStage<List<RemoteTransport.RecipientOutcome>> send(QueuedMessage m, List<Integer> indices) {
        return send(m, indices, false);
    }

    /**
     * As {@link #send(QueuedMessage, List)}; {@code requireTls} when the message was received with
     * REQUIRETLS (RFC 8689), which the transport must honour or bounce.
     */
    public CompletionStage<List<RemoteTransport.RecipientOutcome>> send(QueuedMessage m, List<Integer> indices,
                                                                       boolean requireTls) {
        List<EnvelopeRecipient> recipients = new ArrayList<>();
        for (int i : indices) {
            DeliveryTarget t = m.targets().get(i);
            EnvelopeRecipient orig = Reports.recipientOf(m, t);
            String orcpt = orig.orcpt();
            if (orcpt == null && !t.address().equalsIgnoreCase(t.recipient())) {
                orcpt = "rfc822;" + xtext(t.recipient());
            }
            recipients.add(new EnvelopeRecipient(t.address(), orig.dsnNotify(), orcpt));
        }
        return CompletableFuture.supplyAsync(() -> prepare(m, indices), blocking)
                .thenCompose(p -> policy.transport().send(p.envelope(), recipients, m.blob(), p.headers(), requireTls))
                .exceptionally(err -> {
                    Throwable cause = err instanceof java.util.concurrent.CompletionException && err.getCause() != null
                            ? err.getCause() : err;
                    LOG.warn("queue={} remote delivery could not start: {}", m.queueId(), cause.toString());
                    return recipients.stream().map(r -> new RemoteTransport.RecipientOutcome(r, RemoteTransport.Kind.TEMPORARY,
                            "4.3.0", "local error: " + cause.getMessage(), "none", false)).toList();
                });
    }

    private record Prepared(Envelope envelope, byte[] headers) {
    }

    private Prepared prepare(QueuedMessage m, List<Integer> indices) {
        Envelope env = m.envelope();
        byte[] headers = new byte[0];
        Optional<DkimSigningKey> key = signingKey(env);
        if (key.isEmpty() && policy.arcSeal()) {
            headers = arcSet(m, indices);
        }
        if (key.isPresent()) {
            try (InputStream in = blobs.open(m.blob())) {
                String sig = new DkimSigner(key.get(), Clock.systemUTC()).sign(in);
                headers = sig.getBytes(StandardCharsets.US_ASCII);
            } catch (Exception e) {
                // An unsignable message (no From, malformed header) still leaves, unsigned, as OpenDKIM would.
                LOG.warn("queue={} not DKIM-signed: {}", m.queueId(), e.getMessage());
            }
        }
        String sender = rewrittenSender(env.sender());
        if (!sender.equals(env.sender())) {
            env = new Envelope(sender, env.recipients(), env.heloName(), env.remoteAddress(), env.authenticatedUser(),
                    env.submission(), env.ret(), env.envId(), env.body(), env.smtpUtf8(), env.receivedAt());
        }
        return new Prepared(env, headers);
    }

    /**
     * Forwarded mail (someone else's message leaving through an alias or a Sieve redirect) gets an ARC set
     * signed with the forwarding domain's key: the domain of the local recipient that forwarded it, else the
     * SRS domain; the set carries the Authentication-Results written when the message arrived. Mail that
     * did not arrive through the inbound checks (no such field) or has no RSA key leaves unsealed.
     */
    private byte[] arcSet(QueuedMessage m, List<Integer> indices) {
        List<String> domains = new ArrayList<>();
        for (int i : indices) {
            String d = domainOf(m.targets().get(i).recipient());
            if (d != null && !domains.contains(d) && directory.get().isLocalDomain(d)) {
                domains.add(d);
            }
        }
        if (policy.srsDomain() != null) {
            domains.add(policy.srsDomain().toLowerCase(Locale.ROOT));
        }
        Optional<DkimSigningKey> key = domains.stream().map(d -> policy.dkimKeys().apply(d))
                .flatMap(Optional::stream).filter(ArcSealer::canSealWith).findFirst();
        if (key.isEmpty()) {
            return new byte[0];
        }
        try (InputStream in = blobs.open(m.blob())) {
            Optional<String> set = new ArcSealer(key.get(), Clock.systemUTC()).seal(in, policy.hostname());
            if (set.isPresent()) {
                LOG.debug("queue={} ARC-sealed as {}", m.queueId(), key.get().domain());
            }
            return set.map(s -> s.getBytes(StandardCharsets.ISO_8859_1)).orElse(new byte[0]);
        } catch (Exception e) {
            // an unsealable message (no From, malformed header) still leaves, unsealed
            LOG.warn("queue={} not ARC-sealed: {}", m.queueId(), e.getMessage());
            return new byte[0];
        }
    }

    /**
     * Mail from authenticated users (submission) and from trusted networks is signed with the key of
     * the sender's domain. Unauthenticated mail reaches a remote target with one of our own domains
     * as sender only from a trusted network (anyone else is refused relaying at RCPT), so a local
     * sender domain identifies that case, as OpenDKIM's SigningTable does for docker-mailserver.
     */
    private Optional<DkimSigningKey> signingKey(Envelope env) {
        String domain = domainOf(env.sender());
        if (domain == null) {
            return Optional.empty();
        }
        boolean ours = env.authenticatedUser() != null || env.submission() || directory.get().isLocalDomain(domain);
        return ours ? policy.dkimKeys().apply(domain) : Optional.empty();
    }

    /**
     * Forwarded mail keeps SPF of the original domain passing only with SRS: a sender outside our
     * domains leaving through us is rewritten (postsrsd's sender_canonical behaviour).
     */
    String rewrittenSender(String sender) {
        if (policy.srs() == null || sender == null || sender.isEmpty()) {
            return sender;
        }
        String domain = domainOf(sender);
        if (domain == null || directory.get().isLocalDomain(domain)) {
            return sender;
        }
        return policy.srs().forward(sender, policy.srsDomain());
    }

    static String domainOf(String address) {
        int at = address == null ? -1 : address.lastIndexOf('@');
        return at < 0 || at == address.length() - 1 ? null : address.substring(at + 1).toLowerCase(Locale.ROOT);
    }

    /** RFC 3461 xtext: '+', '=' and characters outside 33..126 as +XX. */
    static String xtext(String s) {
        StringBuilder b = new StringBuilder();
        for (byte c : s.getBytes(StandardCharsets.UTF_8)) {
            int v = c & 0xff;
            if (v < 33 || v > 126 || v == '+' || v == '=') {
                b.append('+').append(String.format(Locale.ROOT, "%02X", v));
            } else {
                b.append((char) v);
            }
        }
        return b.toString();
    }
}
