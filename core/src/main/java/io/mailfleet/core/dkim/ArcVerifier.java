package io.mailfleet.core.dkim;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Validates the ARC chain of a message (RFC 8617 §5.2) from the same single read DKIM verification uses
 * ({@link DkimStream} hashes each ARC-Message-Signature's body while the message streams in): structure
 * first, then the newest AMS exactly as a DKIM signature, the older ones for oldest-pass, then every
 * ARC-Seal over the sets below it. Keys come through the {@link DkimVerifier}'s asynchronous source.
 */
public final class ArcVerifier {

    private final DkimVerifier dkim;

    public ArcVerifier(DkimVerifier dkim) {
        this.dkim = dkim;
    }

    /** The chain's status; never completes exceptionally. */
    public CompletionStage<ArcResult> verify(DkimMessage message) {
        try {
            return validate(message);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(ArcResult.fail(0, "ARC validation error: " + e));
        }
    }

    /** The three fields of one instance, in the order the seal hashes them. */
    private static final class Set {
        final List<HeaderField> aar = new ArrayList<>();
        final List<HeaderField> ams = new ArrayList<>();
        final List<HeaderField> seal = new ArrayList<>();
    }

    private CompletionStage<ArcResult> validate(DkimMessage message) {
        if (message.arcUnreadable() != null) {
            return done(ArcResult.fail(0, message.arcUnreadable()));
        }
        TreeMap<Integer, Set> sets = new TreeMap<>();
        int fields = 0;
        for (HeaderField f : message.headers()) {
            String name = f.lowerName();
            int i;
            if (name.equals("arc-authentication-results")) {
                i = ArcSeal.aarInstance(f);
            } else if (name.equals("arc-message-signature") || name.equals("arc-seal")) {
                i = ArcSeal.instanceOf(f);
            } else {
                continue;
            }
            fields++;
            if (i < 0) {
                return done(ArcResult.fail(0, "an " + f.name() + " field has no valid instance i="));
            }
            Set s = sets.computeIfAbsent(i, k -> new Set());
            (name.equals("arc-seal") ? s.seal : name.equals("arc-message-signature") ? s.ams : s.aar).add(f);
        }
        if (fields == 0) {
            return done(ArcResult.none());
        }
        int n = sets.lastKey();
        if (sets.size() > 50) {
            return done(ArcResult.fail(n, "more than 50 ARC sets"));
        }
        Set newest = sets.get(n);
        if (newest.seal.size() == 1) {
            try {
                if (ArcSeal.parse(newest.seal.get(0)).cv == ArcResult.Status.FAIL) {
                    return done(ArcResult.fail(n, "ARC-Seal i=" + n + " already says cv=fail"));
                }
            } catch (DkimException e) {
                return done(ArcResult.fail(n, e.getMessage()));
            }
        }
        // structure (step 3): exactly one of each field per instance, instances 1..N without gaps
        Map<Integer, ArcSeal> seals = new HashMap<>();
        for (int i = 1; i <= n; i++) {
            Set s = sets.get(i);
            if (s == null) {
                return done(ArcResult.fail(n, "ARC set i=" + i + " is missing"));
            }
            if (s.aar.size() != 1 || s.ams.size() != 1 || s.seal.size() != 1) {
                String what = s.aar.size() > 1 || s.ams.size() > 1 || s.seal.size() > 1 ? "has duplicate fields"
                        : "is incomplete";
                return done(ArcResult.fail(n, "ARC set i=" + i + " " + what));
            }
            try {
                ArcSeal seal = ArcSeal.parse(s.seal.get(0));
                ArcResult.Status expected = i == 1 ? ArcResult.Status.NONE : ArcResult.Status.PASS;
                if (seal.cv != expected) {
                    return done(ArcResult.fail(n, "ARC-Seal i=" + i + " has cv=" + seal.cv.keyword()
                            + " where " + expected.keyword() + " belongs"));
                }
                seals.put(i, seal);
            } catch (DkimException e) {
                return done(ArcResult.fail(n, e.getMessage()));
            }
        }
        DkimVerifier.KeyFetch fetch = dkim.keyFetch();
        // every verification starts at once (the DNS questions overlap); the decision below keeps RFC order
        List<CompletableFuture<DkimResult>> ams = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Object parsed = message.arcMessageSignatures().get(sets.get(i).ams.get(0));
            ams.add(parsed instanceof DkimSignature s ? dkim.verifySignature(s, message, fetch)
                    : CompletableFuture.completedFuture(parsed instanceof DkimResult r ? r
                    : new DkimResult(null, null, DkimResult.Status.PERMERROR, "ARC-Message-Signature not read")));
        }
        List<CompletableFuture<DkimResult>> asResults = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            ArcSeal seal = seals.get(i);
            byte[] data;
            try {
                data = sealedData(sets, i);
            } catch (DkimException e) {
                return done(ArcResult.fail(n, e.getMessage()));
            }
            asResults.add(dkim.verifyData(seal.domain, seal.selector, seal.algorithm, data, seal.signature, fetch));
        }
        List<CompletableFuture<DkimResult>> all = new ArrayList<>(ams);
        all.addAll(asResults);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).handle((v, err) -> {
            DkimResult newestAms = ams.get(n - 1).join();
            if (!newestAms.passed()) {
                return ArcResult.fail(n, "ARC-Message-Signature i=" + n + ": " + newestAms.status().keyword()
                        + ", " + newestAms.detail());
            }
            int oldestPass = 0;
            for (int i = n - 1; i >= 1; i--) {
                if (!ams.get(i - 1).join().passed()) {
                    oldestPass = i + 1;
                    break;
                }
            }
            for (int i = n; i >= 1; i--) {
                DkimResult r = asResults.get(i - 1).join();
                if (!r.passed()) {
                    return ArcResult.fail(n, "ARC-Seal i=" + i + " (d=" + seals.get(i).domain + "): "
                            + r.status().keyword() + ", " + r.detail());
                }
            }
            List<ArcResult.ArcSet> passed = new ArrayList<>();
            for (int i = 1; i <= n; i++) {
                passed.add(new ArcResult.ArcSet(i, seals.get(i).domain, ArcSeal.aarResults(sets.get(i).aar.get(0))));
            }
            return new ArcResult(ArcResult.Status.PASS, n + (n == 1 ? " ARC set" : " ARC sets") + ", newest sealed by "
                    + seals.get(n).domain, n, oldestPass, passed);
        });
    }

    /**
     * The ARC-Seal i=N hash input (RFC 8617 §5.1.1): the sets 1..N, each AAR, AMS, AS, relaxed, the
     * seal being checked last without its b= value and without the final CRLF.
     */
    private static byte[] sealedData(TreeMap<Integer, Set> sets, int instance) throws DkimException {
        List<HeaderField> fields = new ArrayList<>();
        for (int i = 1; i <= instance; i++) {
            Set s = sets.get(i);
            fields.add(s.aar.get(0));
            fields.add(s.ams.get(0));
            fields.add(s.seal.get(0));
        }
        return sealInput(fields).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Relaxed canonical fields, the last one (the seal) with b= emptied and no final CRLF. */
    static String sealInput(List<HeaderField> fields) throws DkimException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size() - 1; i++) {
            sb.append(Canonicalization.RELAXED.header(fields.get(i)));
        }
        HeaderField seal = fields.get(fields.size() - 1);
        String last = Canonicalization.RELAXED.header(new HeaderField(seal.name(),
                DkimSignature.withoutSignature(seal)));
        sb.append(last, 0, last.length() - 2);
        return sb.toString();
    }

    private static CompletionStage<ArcResult> done(ArcResult r) {
        return CompletableFuture.completedFuture(r);
    }
}
