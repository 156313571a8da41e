package io.mailfleet.core.dns;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Record;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous DNS questions with typed answers; the stages never complete exceptionally (every
 * failure is a {@link DnsResult}). The node has one implementation, {@link AsyncDnsResolver}.
 */
public interface DnsResolver {

    /** One question; CNAMEs are followed, so the records are all of {@code type}. */
    CompletionStage<DnsResult<Record>> query(org.xbill.DNS.Name name, int type);

    /** True when {@link #validated} checks DNSSEC; false when it only says "insecure". */
    default boolean validates() {
        return false;
    }

    /**
     * One question answered through the DNSSEC-validating mode: the answer and whether it is secure,
     * insecure or bogus. Without trust anchors every answer is {@link DnssecStatus#INSECURE}.
     */
    default CompletionStage<ValidatedAnswer> validated(org.xbill.DNS.Name name, int type) {
        return query(name, type).thenApply(r -> new ValidatedAnswer(r, DnssecStatus.INSECURE, "no DNSSEC validation"));
    }

    /** One question by name as text; a name DNS cannot carry gives {@link DnsResult.InvalidName}. */
    default CompletionStage<DnsResult<Record>> query(String name, int type) {
        org.xbill.DNS.Name parsed;
        try {
            parsed = DnsNames.parse(name);
        } catch (IllegalArgumentException e) {
            return java.util.concurrent.CompletableFuture.completedFuture(new DnsResult.InvalidName<>(e.getMessage()));
        }
        return query(parsed, type);
    }

    /** TXT records, each one's strings concatenated; one char per byte (ISO-8859-1) so nothing is lost. */
    default CompletionStage<DnsResult<String>> txt(String name) {
        return query(name, Type.TXT).thenApply(r -> r.map(rec -> {
            StringBuilder b = new StringBuilder();
            for (byte[] s : ((TXTRecord) rec).getStringsAsByteArrays()) {
                b.append(new String(s, StandardCharsets.ISO_8859_1));
            }
            return b.toString();
        }));
    }

    /** IPv4 addresses. */
    default CompletionStage<DnsResult<InetAddress>> a(String name) {
        return query(name, Type.A).thenApply(r -> r.map(rec -> ((ARecord) rec).getAddress()));
    }

    /** IPv6 addresses. */
    default CompletionStage<DnsResult<InetAddress>> aaaa(String name) {
        return query(name, Type.AAAA).thenApply(r -> r.map(rec -> ((AAAARecord) rec).getAddress()));
    }

    /** Mail exchangers; a null MX (RFC 7505) has the host {@code "."}. */
    default CompletionStage<DnsResult<MxData>> mx(String name) {
        return query(name, Type.MX).thenApply(r -> r.map(rec -> {
            MXRecord m = (MXRecord) rec;
            return new MxData(m.getPriority(), hostName(m.getTarget()));
        }));
    }

    /** Host names an address maps back to (not validated). */
    default CompletionStage<DnsResult<String>> ptr(InetAddress address) {
        return query(ReverseMap.fromAddress(address), Type.PTR)
                .thenApply(r -> r.map(rec -> hostName(((PTRRecord) rec).getTarget())));
    }

    /** One MX record's data. */
    record MxData(int preference, String host) {
    }

    /** Lower-case, without the trailing dot; the root is {@code "."}. */
    static String hostName(org.xbill.DNS.Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
