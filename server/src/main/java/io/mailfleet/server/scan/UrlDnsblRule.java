package io.mailfleet.server.scan;

import io.mailfleet.core.mime.MessageSummary;
import io.mailfleet.core.spam.SpamSymbol;
import io.mailfleet.core.spam.uribl.LinkTarget;
import io.mailfleet.core.spam.uribl.MessageLinks;
import io.mailfleet.core.spam.uribl.UriblEvaluator;
import io.mailfleet.protocols.smtp.check.MessageStart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The built-in scorer's URL block-list symbols for one message: the links are read from the first
 * octets of the message on the scan threads (MIME parsing and decoding are no work for an event loop),
 * then the lists are asked through the node's resolver without any thread waiting. A failure leaves the
 * symbols out; it never fails or holds up the message beyond the lists' time-out.
 */
public final class UrlDnsblRule {

    private static final Logger LOG = LoggerFactory.getLogger("io.mailfleet.scan");

    private final MessageLinks links;
    private final UriblEvaluator lists;

    public UrlDnsblRule(MessageLinks links, UriblEvaluator lists) {
        this.links = links;
        this.lists = lists;
    }

    /** Octets of a message this rule reads. */
    int maxScanBytes() {
        return links.limits().maxScanBytes();
    }

    /**
     * The symbols of the lists that list a link of {@code message} (its first octets), read with the
     * structure of the message's parse ({@code parsed}; null: the octets are parsed here).
     */
    CompletionStage<List<SpamSymbol>> symbols(byte[] message, MessageSummary parsed, MessageStart start) {
        return CompletableFuture.supplyAsync(() -> parsed == null ? links.targets(message)
                        : links.targets(message, parsed), ScanThreads.executor())
                .thenCompose(targets -> {
                    if (LOG.isDebugEnabled() && !targets.isEmpty()) {
                        LOG.debug("scanner=builtin session={} txn={} URL DNSBL asks about {}",
                                start.client().sessionId(), start.transactionId(),
                                targets.stream().map(LinkTarget::name).toList());
                    }
                    return lists.evaluate(targets);
                })
                .handle((symbols, err) -> {
                    if (err != null) {
                        LOG.warn("scanner=builtin session={} txn={} URL DNSBL check failed, scored without it: {}",
                                start.client().sessionId(), start.transactionId(), err.toString());
                        return List.<SpamSymbol>of();
                    }
                    if (!symbols.isEmpty()) {
                        LOG.info("scanner=builtin session={} txn={} URL DNSBL listed: {}", start.client().sessionId(),
                                start.transactionId(), symbols.stream().map(x -> x.name() + " (" + x.description() + ")")
                                        .toList());
                    }
                    return symbols;
                });
    }
}
