package io.mailfleet.server.dns;

import io.mailfleet.core.dns.DnsResolver;
import io.mailfleet.core.dns.DnsResult;
import org.xbill.DNS.Record;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Compares recommended records with what live DNS answers, through the node's resolver. A TXT record counts
 * as present when a TXT at the name starts with the same tag ({@code v=spf1}, {@code v=DKIM1} ...): another
 * value there is "different", none is "missing".
 */
public final class DnsCheck {

    /** How a published record compares. */
    public enum Status { OK, MISSING, DIFFERENT, UNANSWERED }

    /** One record's outcome; {@code found} is what DNS holds (empty when missing). */
    public record Result(DnsRecord record, Status status, List<String> found, String detail) {
        public Result {
            found = List.copyOf(found);
        }
    }

    private final DnsResolver resolver;

    public DnsCheck(DnsResolver resolver) {
        this.resolver = resolver;
    }

    /** Every record's outcome, in the records' order. */
    public CompletionStage<List<Result>> check(List<DnsRecord> records) {
        List<CompletableFuture<Result>> all = records.stream().map(r -> check(r).toCompletableFuture()).toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                .thenApply(v -> all.stream().map(CompletableFuture::join).toList());
    }

    private CompletionStage<Result> check(DnsRecord wanted) {
        return resolver.query(wanted.name(), Type.value(wanted.type())).thenApply(answer -> {
            if (answer instanceof DnsResult.TempError<Record> t) {
                return new Result(wanted, Status.UNANSWERED, List.of(), t.reason());
            }
            if (answer instanceof DnsResult.InvalidName<Record> i) {
                return new Result(wanted, Status.UNANSWERED, List.of(), i.reason());
            }
            List<String> found = new ArrayList<>();
            for (Record r : answer.valuesOrEmpty()) {
                found.add(r instanceof TXTRecord txt ? text(txt) : r.rdataToString());
            }
            return compare(wanted, found);
        });
    }

    static Result compare(DnsRecord wanted, List<String> found) {
        boolean txt = wanted.type().equals("TXT");
        String want = normal(wanted.value(), txt);
        List<String> relevant = new ArrayList<>();
        for (String f : found) {
            if (normal(f, txt).equals(want)) {
                return new Result(wanted, Status.OK, List.of(f), "");
            }
            if (!txt || (!tag(f).isEmpty() && tag(f).equals(tag(wanted.value())))) {
                relevant.add(f);
            }
        }
        return relevant.isEmpty() ? new Result(wanted, Status.MISSING, List.of(), "")
                : new Result(wanted, Status.DIFFERENT, relevant, "");
    }

    /** TXT compared without white space (tag lists allow it anywhere) and case-sensitively; others case-insensitively. */
    private static String normal(String value, boolean txt) {
        return txt ? value.replaceAll("\\s+", "") : value.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    }

    /** The version tag a TXT record starts with ({@code v=spf1}, {@code v=DMARC1}), or "". */
    private static String tag(String txt) {
        String first = txt.strip().split("[;\\s]", 2)[0].toLowerCase(Locale.ROOT);
        return first.startsWith("v=") ? first : "";
    }

    private static String text(TXTRecord rec) {
        StringBuilder b = new StringBuilder();
        for (byte[] s : rec.getStringsAsByteArrays()) {
            b.append(new String(s, StandardCharsets.ISO_8859_1));
        }
        return b.toString();
    }
}
