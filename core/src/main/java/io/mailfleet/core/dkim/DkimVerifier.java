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
        Map<String, CompletableFuture<DnsResult<String>>> lookups = new HashMap<>();
        Map<String, List<HeaderField>> byName = null;
        List<CompletableFuture<DkimResult>> results = new ArrayList<>();
        for (Object o : message.signatures()) {
            if (o instanceof DkimResult r) {
                results.add(CompletableFuture.completedFuture(r));
                continue;
            }
            DkimSignature s = (DkimSignature) o;
            if (!MessageDigest.isEqual(s.bodyHash, message.bodyHash(s))) {
                results.add(CompletableFuture.completedFuture(s.result(DkimResult.Status.FAIL, "body hash did not verify")));
                continue;
            }
            if (byName == null) {
                byName = message.byName();
            }
            Map<String, List<HeaderField>> fields = byName;
            CompletableFuture<DnsResult<String>> key = lookups.computeIfAbsent(s.keyName(),
                    name -> keys.txt(name).toCompletableFuture());
            results.add(key.handle((answer, err) -> {
                try {
                    return check(s, fields, answer == null ? new DnsResult.TempError<>(String.valueOf(err)) : answer);
                } catch (RuntimeException e) {
                    return s.result(DkimResult.Status.PERMERROR, "verification error: " + e);
                }
            }));
        }
        return CompletableFuture.allOf(results.toArray(CompletableFuture[]::new))
                .thenApply(v -> results.stream().map(CompletableFuture::join).toList());
    }

    private DkimResult check(DkimSignature s, Map<String, List<HeaderField>> fields, DnsResult<String> answer) {
        String name = s.keyName();
        if (answer instanceof DnsResult.TempError<String> t) {
            return s.result(DkimResult.Status.TEMPERROR, "key lookup of " + name + " failed: " + t.reason());
        }
        List<String> records = answer.valuesOrEmpty();
        if (records.isEmpty()) {
            return s.result(DkimResult.Status.PERMERROR, "no key record at " + name);
        }
        if (records.size() > 1) {
            return s.result(DkimResult.Status.PERMERROR, "more than one TXT record at " + name);
        }
        DkimKeys.KeyRecord key;
        try {
            key = DkimKeys.parseKeyRecord(records.get(0), s.algorithm, name);
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
            boolean ok = s.algorithm == DkimAlgorithm.RSA_SHA256 ? verifyRsa(key.key(), data, s.signature)
                    : verifyEd25519(key.key(), data, s.signature);
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
        String canonicalSig = s.headerCanon.header(new HeaderField("DKIM-Signature", s.withoutSignature()));
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
