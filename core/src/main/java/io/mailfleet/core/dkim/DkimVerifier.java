package io.mailfleet.core.dkim;

import io.mailfleet.core.dns.DnsResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies the DKIM-Signature fields of a message (RFC 6376; rsa-sha256 and RFC 8463 ed25519-sha256;
 * RFC 8301: rsa-sha1 and RSA keys under 1024 bits fail). The message is read once ({@link DkimStream});
 * keys are fetched asynchronously, one DNS question per distinct key name and only for signatures whose
 * body hash matched. Ed25519 is checked with BouncyCastle, independently of the JDK signer.
 */
public final class DkimVerifier {

    /** How many signatures {@link #verify(InputStream)} checks at most. */
    public static final int DEFAULT_MAX_SIGNATURES = 5;
    /** The header section {@link #verify(InputStream)} keeps at most. */
    public static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MIN_RSA_BITS = 1024;

    /** Where key records come from: TXT records of a name, as the node's DNS resolver answers. */
    @FunctionalInterface
    public interface KeySource {
        CompletionStage<DnsResult<String>> txt(String name);
    }

    private final KeySource keys;
    private final Clock clock;
    private final DkimKeyCache decodedKeys = new DkimKeyCache(DkimKeyCache.DEFAULT_MAX_ENTRIES);

    private DkimVerifier(KeySource keys, Clock clock, boolean unused) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A verifier reading keys through {@code keys} (the node's resolver: {@code dns::txt}). */
    public static DkimVerifier using(KeySource keys, Clock clock) {
        return new DkimVerifier(keys, clock, true);
    }

    /** A verifier with a synchronous key lookup (tools and tests). */
    public DkimVerifier(DkimKeyLookup lookup, Clock clock) {
        this((KeySource) name -> {
            try {
                List<String> records = lookup.txt(name);
                return CompletableFuture.completedFuture(records.isEmpty()
                        ? new DnsResult.NxDomain<>() : new DnsResult.Found<>(records, java.time.Duration.ZERO));
            } catch (DkimException e) {
                return CompletableFuture.completedFuture(new DnsResult.TempError<>(e.getMessage()));
            }
        }, clock, true);
    }

    /** A stream to feed the message into, for {@link #verify(DkimMessage)}. */
    public DkimStream stream(int maxSignatures, int maxHeaderBytes) {
        return new DkimStream(maxSignatures, maxHeaderBytes, clock);
    }

    /**
     * Reads the whole message and verifies up to {@link #DEFAULT_MAX_SIGNATURES} signatures, top to bottom.
     * An empty list means the message carries no signature. Waits for the key lookups: not for event loops.
     */
    public List<DkimResult> verify(InputStream message) throws IOException {
        DkimStream s = stream(DEFAULT_MAX_SIGNATURES, MAX_HEADER_BYTES);
        byte[] chunk = new byte[16384];
        int n;
        while ((n = message.read(chunk)) != -1) {
            s.feed(chunk, 0, n);
        }
        return verify(s.finish()).toCompletableFuture().join();
    }

    /** The results of the message's signatures in header order; never completes exceptionally. */
    public CompletionStage<List<DkimResult>> verify(DkimMessage message) {
        KeyFetch fetch = new KeyFetch();
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        for (Object o : message.signatures()) {
            if (o instanceof DkimResult r) {
                results.add(CompletableFuture.completedFuture(r));
                continue;
            }
            results.add(verifySignature((DkimSignature) o, message, fetch));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
    }

    /** Key lookups of one message: one DNS question per distinct key name, shared by DKIM and ARC. */
    final class KeyFetch {
        private final Map<String, CompletableFuture<DnsResult<String>>> lookups = new HashMap<>();

        CompletableFuture<DnsResult<String>> txt(String name) {
            return lookups.computeIfAbsent(name, n -> keys.txt(n).toCompletableFuture());
        }
    }

    /** A fresh per-message key fetch. */
    KeyFetch keyFetch() {
        return new KeyFetch();
    }

    /** One DKIM-Signature or ARC-Message-Signature: body hash, then key and header hash; never exceptional. */
    CompletableFuture<DkimResult> verifySignature(DkimSignature s, DkimMessage message, KeyFetch fetch) {
        if (!MessageDigest.isEqual(s.bodyHash, message.bodyHash(s))) {
            return CompletableFuture.completedFuture(s.result(DkimResult.Status.FAIL, "body hash did not verify"));
        }
        Map<String, List<HeaderField>> fields = message.byName();
        return fetch.txt(s.keyName()).handle((answer, err) -> {
            try {
                return check(s, fields, answer == null ? new DnsResult.TempError<>(String.valueOf(err)) : answer);
            } catch (RuntimeException e) {
                return s.result(DkimResult.Status.PERMERROR, "verification error: " + e);
            }
        });
    }

    /**
     * Verifies {@code signature} over {@code data} with the key published at {@code name} (the ARC-Seal's
     * check, which has no body hash and no identity): the status and why.
     */
    CompletableFuture<DkimResult> verifyData(String domain, String selector, DkimAlgorithm algorithm, byte[] data,
                                             byte[] signature, KeyFetch fetch) {
        String name = selector + "._domainkey." + domain;
        return fetch.txt(name).handle((answer, err) -> {
            DnsResult<String> a = answer == null ? new DnsResult.TempError<>(String.valueOf(err)) : answer;
            DkimResult base = new DkimResult(domain, selector, DkimResult.Status.PASS, "good signature");
            try {
                DkimKeys.KeyRecord key = key(a, algorithm, name);
                return verifySignature(key.key(), algorithm, data, signature) ? base
                        : base.with(DkimResult.Status.FAIL, "signature did not verify");
            } catch (KeyTempError e) {
                return base.with(DkimResult.Status.TEMPERROR, e.getMessage());
            } catch (DkimFailure e) {
                return base.with(DkimResult.Status.FAIL, e.getMessage());
            } catch (DkimException | RuntimeException e) {
                return base.with(DkimResult.Status.PERMERROR, e.getMessage());
            }
        });
    }

    /** A key lookup that failed temporarily (temperror, not permerror). */
    private static final class KeyTempError extends DkimException {
        KeyTempError(String message) {
            super(message);
        }
    }

    /** The one key record of an answer (RFC 6376 §6.1.2). */
    private DkimKeys.KeyRecord key(DnsResult<String> answer, DkimAlgorithm algorithm, String name)
            throws DkimException {
        if (answer instanceof DnsResult.TempError<String> t) {
            throw new KeyTempError("key lookup of " + name + " failed: " + t.reason());
        }
        List<String> records = answer.valuesOrEmpty();
        if (records.isEmpty()) {
            throw new DkimException("no key record at " + name);
        }
        if (records.size() > 1) {
            throw new DkimException("more than one TXT record at " + name);
        }
        return decodedKeys.get(records.get(0), algorithm, name);
    }

    private static boolean verifySignature(PublicKey key, DkimAlgorithm algorithm, byte[] data, byte[] signature)
            throws DkimException {
        return algorithm == DkimAlgorithm.RSA_SHA256 ? verifyRsa(key, data, signature)
                : verifyEd25519(key, data, signature);
    }

    private DkimResult check(DkimSignature s, Map<String, List<HeaderField>> fields, DnsResult<String> answer) {
        String name = s.keyName();
        DkimKeys.KeyRecord key;
        try {
            key = key(answer, s.algorithm, name);
        } catch (KeyTempError e) {
            return s.result(DkimResult.Status.TEMPERROR, e.getMessage());
        } catch (DkimException e) {
            return s.result(DkimResult.Status.PERMERROR, e.getMessage());
        }
        DkimResult base = s.result(DkimResult.Status.PASS, "good signature").testing(key.testing());
        if (key.strictIdentity()) {
            String i = s.identity.substring(s.identity.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
            if (!i.equals(s.domain)) {
                return base.with(DkimResult.Status.PERMERROR, "key has t=s but i= is a subdomain of d=");
            }
        }
        try {
            byte[] data = signedData(fields, s);
            boolean ok = verifySignature(key.key(), s.algorithm, data, s.signature);
            return ok ? base : base.with(DkimResult.Status.FAIL, "signature did not verify");
        } catch (DkimFailure e) {
            return base.with(DkimResult.Status.FAIL, e.getMessage());
        } catch (DkimException e) {
            return base.with(DkimResult.Status.PERMERROR, e.getMessage());
        }
    }

    /**
     * The header hash input (RFC 6376 §3.7): each h= name takes the next instance from the bottom, a name
     * listed more often than present (oversigning) adds nothing; then the signature field without b= and CRLF.
     */
    static byte[] signedData(Map<String, List<HeaderField>> fields, DkimSignature s) throws DkimException {
        Map<String, Integer> used = new HashMap<>();
        StringBuilder sb = new StringBuilder();
        for (String name : s.signedHeaders) {
            List<HeaderField> instances = fields.get(name);
            int n = used.merge(name, 1, Integer::sum);
            if (instances != null && n <= instances.size()) {
                sb.append(s.headerCanon.header(instances.get(instances.size() - n)));
            }
        }
        String canonicalSig = s.headerCanon.header(new HeaderField(s.field.name(), s.withoutSignature()));
        sb.append(canonicalSig, 0, canonicalSig.length() - 2);
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean verifyRsa(PublicKey key, byte[] data, byte[] sig) throws DkimException {
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new DkimException("key is not an RSA key");
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new DkimFailure("RSA key shorter than " + MIN_RSA_BITS + " bits (RFC 8301)");
        }
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(key);
            s.update(data);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean verifyEd25519(PublicKey key, byte[] data, byte[] sig) {
        if (sig.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(DkimKeys.rawEd25519(key), 0));
        byte[] hash = DkimSigner.sha256().digest(data);
        verifier.update(hash, 0, hash.length);
        return verifier.verifySignature(sig);
    }
}
