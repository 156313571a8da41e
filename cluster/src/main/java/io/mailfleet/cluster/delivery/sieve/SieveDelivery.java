package io.mailfleet.cluster.delivery.sieve;

import io.mailfleet.cluster.queue.DeliveryTarget;
import io.mailfleet.cluster.queue.QueuedMessage;
import io.mailfleet.cluster.queue.SieveLogEntity;
import io.mailfleet.cluster.queue.SievePlan;
import io.mailfleet.cluster.queue.SieveSettings;
import io.mailfleet.cluster.queue.TargetStatus;
import io.mailfleet.core.mime.ParsedMessage;
import io.mailfleet.cluster.mailbox.MailboxEntity;
import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.core.blob.BlobWriter;
import io.mailfleet.core.mailbox.FolderInfo;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.core.sieve.CompiledScript;
import io.mailfleet.core.sieve.DuplicateLog;
import io.mailfleet.core.sieve.SieveAction;
import io.mailfleet.core.sieve.SieveEngine;
import io.mailfleet.core.sieve.SieveEnvironment;
import io.mailfleet.core.sieve.SieveMessage;
import io.mailfleet.core.sieve.SieveResult;
import io.mailfleet.core.sieve.VacationLog;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Sieve chain of one local target and turns the result into a {@link SievePlan} plus the new
 * messages it causes (redirects, vacation reply). Blocking (blob reads, asks to entities): runs on the
 * blocking dispatcher, never on the partition's thread. Never loses mail: a script error keeps the
 * message in INBOX; a failure of the infrastructure (blob store, script store) throws so the
 * delivery is retried.
 */
public final class SieveDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(SieveDelivery.class);
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(20);
    /** Loop guard on redirected copies, as Pigeonhole writes it. */
    static final String REDIRECT_MARKER = "X-Sieve-Redirected-From";

    /** The result of a run: the plan, a final status when nothing is stored, and new messages to queue. */
    public record Outcome(SievePlan plan, TargetStatus finalStatus, List<Derived> derived, boolean persist) {
    }

    /** A message Sieve caused (redirect or vacation reply), already stored. */
    public record Derived(String kind, Envelope envelope, BlobRef blob) {
    }

    private final SieveSettings settings;
    private final SieveChainLoader loader;
    private final BlobStore blobs;
    private final ClusterSharding sharding;
    private final String hostname;
    private final String delimiter;

    public SieveDelivery(SieveSettings settings, SieveScriptStore scripts, BlobStore blobs, ClusterSharding sharding,
                  String hostname, String delimiter) {
        this.settings = settings;
        this.loader = new SieveChainLoader(settings, scripts);
        this.blobs = blobs;
        this.sharding = sharding;
        this.hostname = hostname;
        this.delimiter = delimiter == null || delimiter.isEmpty() ? null : delimiter.substring(0, 1);
    }

    public SieveSettings settings() {
        return settings;
    }

    /**
     * Runs the chain of target {@code index} over {@code parsed}: the message as parsed at the start of
     * its delivery (with the inbound checks' header fields when they added some). The chain is loaded
     * and run on {@code blocking} (scripts read files and blobs); no thread waits for the script store.
     */
    public CompletionStage<Outcome> run(QueuedMessage m, int index, ParsedMessage parsed, Executor blocking) {
        String account = m.targets().get(index).address().toLowerCase(Locale.ROOT);
        return loader.withChain(account, blocking, chain -> run(m, index, parsed, account, chain));
    }

    private Outcome run(QueuedMessage m, int index, ParsedMessage parsed, String account, List<CompiledScript> chain) {
        DeliveryTarget t = m.targets().get(index);
        if (chain.isEmpty()) {
            return new Outcome(SievePlan.inbox(parsed.blob()), null, List.of(), !parsed.blob().equals(m.blob()));
        }
        String decisionKey = m.queueId() + ":" + index;
        String to = account;
        int at = account.lastIndexOf('@');
        if (t.detail() != null && delimiter != null && at > 0) {
            to = account.substring(0, at) + delimiter + t.detail() + account.substring(at);
        }
        ParsedSieveMessage msg;
        try {
            msg = new ParsedSieveMessage(blobs, parsed, m.envelope().sender(), to, t.recipient(),
                    ZonedDateTime.ofInstant(m.envelope().receivedAt(), ZoneId.systemDefault()));
        } catch (IOException e) {
            throw new UncheckedIOException("message bytes unreadable: " + e.getMessage(), e);
        }
        Folders folders = new Folders(account);
        SieveEnvironment env = SieveEnvironment.defaults(Clock.systemUTC())
                .withOwnAddresses(new java.util.HashSet<>(List.of(account, t.recipient().toLowerCase(Locale.ROOT))))
                .withVacationLog(vacationLog(account, decisionKey))
                .withDuplicateLog(duplicateLog(account, decisionKey))
                .withMailboxes(folders::exists)
                .withScripts(loader.resolver(account))
                .withLimits(settings.limits())
                .withZone(ZoneId.systemDefault());
        SieveResult result = SieveEngine.run(chain, msg, env);
        String note = result.error().map(e -> "sieve error, kept: " + e).orElse("");
        return plan(m, parsed.blob(), t, account, msg, result, folders, note);
    }

    private Outcome plan(QueuedMessage m, BlobRef source, DeliveryTarget t, String account, ParsedSieveMessage msg, SieveResult result,
                         Folders folders, String note) {
        BlobRef blob = source;
        if (result.editedHeaders().isPresent()) {
            blob = withHeaders(source, msg.headerLength(), result.editedHeaders().get());
        }
        Map<String, LinkedHashSet<String>> stores = new LinkedHashMap<>();
        List<Derived> derived = new ArrayList<>();
        List<String> redirected = new ArrayList<>();
        boolean loopRefused = false;
        String reject = null;
        for (SieveAction a : result.actions()) {
            if (a instanceof SieveAction.Keep k) {
                stores.computeIfAbsent("INBOX", f -> new LinkedHashSet<>()).addAll(k.flags());
            } else if (a instanceof SieveAction.FileInto fi) {
                stores.computeIfAbsent(folders.resolve(fi), f -> new LinkedHashSet<>()).addAll(fi.flags());
            } else if (a instanceof SieveAction.Redirect r) {
                if (redirectedBefore(msg, account)) {
                    LOG.warn("sieve: queue={} account={} not redirected to {}: the message was redirected by this "
                            + "account before (mail loop); kept instead", m.queueId(), account, r.address());
                    loopRefused = true;
                    continue;
                }
                BlobRef copy = prepend(blob, REDIRECT_MARKER + ": <" + account + ">\r\n");
                derived.add(new Derived("redirect", envelope(m.envelope().sender(), r.address()), copy));
                redirected.add(r.address());
            } else if (a instanceof SieveAction.Vacation v) {
                derived.add(new Derived("vacation", envelope(io.mailfleet.core.dsn.BounceBuilder.reportEnvelopeSender(), v.to()),
                        store(new ByteArrayInputStream(vacationMessage(v)))));
            } else if (a instanceof SieveAction.Reject r) {
                reject = r.reason();
            }
        }
        TargetStatus finalStatus = null;
        if (reject != null && stores.isEmpty()) {
            String reason = reject.replaceAll("[\\r\\n]+", " ").strip();
            finalStatus = new TargetStatus(TargetStatus.State.FAILED,
                    "rejected by the recipient's Sieve filter: " + reason, Instant.now());
        } else if (stores.isEmpty() && loopRefused && redirected.isEmpty()) {
            stores.put("INBOX", new LinkedHashSet<>());
        } else if (stores.isEmpty() && !redirected.isEmpty()) {
            finalStatus = new TargetStatus(TargetStatus.State.DELIVERED,
                    "redirected by Sieve to " + String.join(", ", redirected), Instant.now());
        } else if (stores.isEmpty()) {
            finalStatus = new TargetStatus(TargetStatus.State.DISCARDED, "discarded by Sieve", Instant.now());
        }
        List<SievePlan.Store> list = new ArrayList<>();
        stores.forEach((folder, flags) -> list.add(new SievePlan.Store(folder, new ArrayList<>(flags))));
        SievePlan plan = new SievePlan(blob, list, note);
        boolean plain = finalStatus == null && derived.isEmpty() && blob.equals(m.blob()) && list.size() == 1
                && list.get(0).folder().equals("INBOX") && list.get(0).flags().isEmpty();
        return new Outcome(plan, finalStatus, derived, !plain);
    }

    private static boolean redirectedBefore(SieveMessage msg, String account) {
        for (SieveMessage.Header h : msg.headers()) {
            if (h.name().equalsIgnoreCase(REDIRECT_MARKER)
                    && h.value().replaceAll("[<>\\s]", "").equalsIgnoreCase(account)) {
                return true;
            }
        }
        return false;
    }

    private Envelope envelope(String sender, String recipient) {
        return new Envelope(sender == null ? "" : sender, List.of(EnvelopeRecipient.of(recipient)), hostname,
                "127.0.0.1", null, false, null, null, "8BITMIME", false, Instant.now());
    }

    /** RFC 5230 §5 reply: to the sender, from the user, Auto-Submitted, threaded to the original. */
    byte[] vacationMessage(SieveAction.Vacation v) {
        StringBuilder h = new StringBuilder();
        h.append("From: ").append(oneLine(v.from())).append("\r\n");
        h.append("To: <").append(oneLine(v.to())).append(">\r\n");
        h.append("Subject: ").append(encode(v.subject())).append("\r\n");
        h.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now())).append("\r\n");
        h.append("Message-ID: <").append(UUID.randomUUID()).append('@').append(hostname).append(">\r\n");
        if (v.inReplyTo() != null) {
            h.append("In-Reply-To: ").append(oneLine(v.inReplyTo())).append("\r\n");
        }
        if (v.references() != null && !v.references().isBlank()) {
            h.append("References: ").append(oneLine(v.references())).append("\r\n");
        }
        h.append("Auto-Submitted: auto-replied (vacation)\r\n");
        h.append("MIME-Version: 1.0\r\n");
        String body = crlf(v.body());
        if (v.mime()) {
            // :mime: the reason is a MIME entity with its own Content-* header fields
            return (h + body).getBytes(StandardCharsets.UTF_8);
        }
        boolean ascii = body.chars().allMatch(c -> c < 128);
        h.append("Content-Type: text/plain; charset=utf-8\r\n");
        h.append("Content-Transfer-Encoding: ").append(ascii ? "7bit" : "8bit").append("\r\n\r\n");
        return (h + body + (body.endsWith("\r\n") ? "" : "\r\n")).getBytes(StandardCharsets.UTF_8);
    }

    private static String crlf(String s) {
        return s.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ").strip();
    }

    private static String encode(String subject) {
        String s = oneLine(subject);
        try {
            return jakarta.mail.internet.MimeUtility.encodeText(s, "UTF-8", "Q");
        } catch (java.io.UnsupportedEncodingException e) {
            return s;
        }
    }

    /** A copy of {@code blob} with the header block replaced by {@code headers}, the body streamed. */
    private BlobRef withHeaders(BlobRef blob, long headerLength, List<SieveMessage.Header> headers) {
        StringBuilder b = new StringBuilder();
        for (SieveMessage.Header h : headers) {
            b.append(h.name()).append(": ").append(h.value().replace("\r\n", "\n").replace("\n", "\r\n")).append("\r\n");
        }
        b.append("\r\n");
        try {
            InputStream body = blobs.open(blob);
            body.skipNBytes(headerLength);
            return store(new SequenceInputStream(new ByteArrayInputStream(b.toString().getBytes(StandardCharsets.UTF_8)),
                    body));
        } catch (IOException e) {
            throw new UncheckedIOException("message bytes unreadable: " + e.getMessage(), e);
        }
    }

    private BlobRef prepend(BlobRef blob, String header) {
        try {
            return store(new SequenceInputStream(new ByteArrayInputStream(header.getBytes(StandardCharsets.UTF_8)),
                    blobs.open(blob)));
        } catch (IOException e) {
            throw new UncheckedIOException("message bytes unreadable: " + e.getMessage(), e);
        }
    }

    private BlobRef store(InputStream source) {
        try (InputStream in = source; BlobWriter w = blobs.create()) {
            byte[] buf = new byte[65536];
            int n;
            while ((n = in.read(buf)) != -1) {
                w.write(buf, 0, n);
            }
            return w.commit().toCompletableFuture().get(ASK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException("could not store a message: " + e.getMessage(), e);
        } catch (Exception e) {
            throw new IllegalStateException("could not store a message: " + e, e);
        }
    }

    private VacationLog vacationLog(String account, String decisionKey) {
        return (handle, sender, period) -> askLog(account, r -> new SieveLogEntity.VacationCheck(handle, sender, period,
                decisionKey, r));
    }

    private DuplicateLog duplicateLog(String account, String decisionKey) {
        return new DuplicateLog() {
            @Override
            public boolean seen(String handle, String id) {
                return askLog(account, r -> new SieveLogEntity.DuplicateCheck(handle, id, decisionKey, r));
            }

            @Override
            public void track(String handle, String id, Duration period, boolean last) {
                askLog(account, r -> new SieveLogEntity.DuplicateTrack(handle, id, period, last, decisionKey, r));
            }
        };
    }

    private boolean askLog(String account,
                           org.apache.pekko.japi.function.Function<org.apache.pekko.actor.typed.ActorRef<SieveLogEntity.Answer>,
                                   SieveLogEntity.Command> msg) {
        try {
            return sharding.entityRefFor(SieveLogEntity.TYPE_KEY, account).ask(msg, ASK_TIMEOUT).toCompletableFuture()
                    .get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS).yes();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("Sieve memory of " + account + " did not answer: " + e, e);
        }
    }

    /** The account's folders, asked for once per run and only when a script needs them. */
    private final class Folders {
        private final String account;
        private List<FolderInfo> list;

        Folders(String account) {
            this.account = account;
        }

        private List<FolderInfo> list() {
            if (list == null) {
                try {
                    MailboxEntity.Reply<List<FolderInfo>> r = sharding.entityRefFor(MailboxEntity.TYPE_KEY, account)
                            .<MailboxEntity.Reply<List<FolderInfo>>>ask(MailboxEntity.ListFolders::new, ASK_TIMEOUT)
                            .toCompletableFuture().get(ASK_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
                    list = r.isOk() ? r.value() : List.of();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                } catch (Exception e) {
                    throw new IllegalStateException("mailbox of " + account + " did not answer: " + e, e);
                }
            }
            return list;
        }

        boolean exists(String folder) {
            return folder.equalsIgnoreCase("INBOX") || list().stream().anyMatch(f -> f.name().equals(folder));
        }

        /**
         * :specialuse picks the folder carrying that use (RFC 8579); otherwise the named folder, which the
         * mailbox creates when missing (DMS runs Dovecot with lda_mailbox_autocreate=yes).
         */
        String resolve(SieveAction.FileInto fi) {
            if (fi.specialUse() != null) {
                for (FolderInfo f : list()) {
                    if (fi.specialUse().equalsIgnoreCase(f.specialUse())) {
                        return f.name();
                    }
                }
            }
            if (fi.folder().equalsIgnoreCase("INBOX")) {
                return "INBOX";
            }
            return fi.folder();
        }
    }
}
