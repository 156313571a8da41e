package io.mailfleet.core.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies every DKIM-Signature of a message (rsa-sha256, ed25519-sha256; simple and relaxed), reading
 * the body once as a stream. Ed25519 is checked with BouncyCastle, independently of the JDK signer.
 */
public final class DkimVerifier {
    private static final Pattern B_TAG = Pattern.compile("(^|;)([ \\t\\r\\n]*b[ \\t\\r\\n]*=)[^;]*");
    private static final int MIN_RSA_BITS = 1024;

    private final DkimKeyLookup lookup;
    private final Clock clock;

    public DkimVerifier(DkimKeyLookup lookup, Clock clock) {
        this.lookup = lookup;
        this.clock = clock;
    }

    private record Parsed(HeaderField field, Map<String, String> tags, DkimAlgorithm alg, Canonicalization headerCanon,
                          Canonicalization bodyCanon, List<String> h, String domain, String selector) {
    }

    /**
     * Verifies all signatures, top to bottom. An empty list means the message carries no signature.
     *
     * @throws DkimException when the header section itself cannot be parsed
     */
    public List<DkimResult> verify(InputStream message) throws IOException, DkimException {
        List<HeaderField> headers = HeaderSection.read(message);
        List<Object> parsed = new ArrayList<>();
        Map<Canonicalization, Canonicalization.BodyHasher> hashers = new EnumMap<>(Canonicalization.class);
        for (HeaderField f : headers) {
            if (!f.lowerName().equals("dkim-signature")) {
                continue;
            }
            try {
                Parsed p = parse(f);
                hashers.computeIfAbsent(p.bodyCanon, c -> c.bodyHasher(DkimSigner.sha256()));
                parsed.add(p);
            } catch (DkimException e) {
                parsed.add(new DkimResult(tagOrNull(f, "d"), tagOrNull(f, "s"), DkimResult.Status.PERMERROR, e.getMessage()));
            }
        }
        if (parsed.isEmpty()) {
            return List.of();
        }
        byte[] chunk = new byte[16384];
        int n;
        while ((n = message.read(chunk)) != -1) {
            for (Canonicalization.BodyHasher h : hashers.values()) {
                h.update(chunk, 0, n);
            }
        }
        Map<Canonicalization, byte[]> bodyHashes = new EnumMap<>(Canonicalization.class);
        hashers.forEach((c, h) -> bodyHashes.put(c, h.finish()));
        List<DkimResult> results = new ArrayList<>();
        for (Object o : parsed) {
            results.add(o instanceof Parsed p ? check(p, headers, bodyHashes.get(p.bodyCanon)) : (DkimResult) o);
        }
        return results;
    }

    private static String tagOrNull(HeaderField f, String tag) {
        try {
            return TagList.parse(f.rawValue(), "DKIM-Signature").get(tag);
        } catch (DkimException e) {
            return null;
        }
    }

    private Parsed parse(HeaderField f) throws DkimException {
        Map<String, String> t = TagList.parse(f.rawValue(), "DKIM-Signature");
        for (String required : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!t.containsKey(required)) {
                throw new DkimException("DKIM-Signature lacks the required tag " + required + "=");
            }
        }
        if (!t.get("v").equals("1")) {
            throw new DkimException("unsupported DKIM-Signature version v=" + t.get("v"));
        }
        if (t.containsKey("l")) {
            throw new DkimException("body length limit l= is not accepted");
        }
        DkimAlgorithm alg = DkimAlgorithm.parse(t.get("a"));
        String c = t.getOrDefault("c", "simple/simple");
        int slash = c.indexOf('/');
        Canonicalization hc = Canonicalization.parse(slash < 0 ? c : c.substring(0, slash));
        Canonicalization bc = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.parse(c.substring(slash + 1));
        List<String> h = Arrays.stream(TagList.noWhitespace(t.get("h")).split(":"))
                .filter(s -> !s.isEmpty()).map(s -> s.toLowerCase(Locale.ROOT)).toList();
        if (!h.contains("from")) {
            throw new DkimException("h= does not include From");
        }
        String d = t.get("d").toLowerCase(Locale.ROOT);
        if (t.containsKey("i")) {
            String i = t.get("i").toLowerCase(Locale.ROOT);
            String idomain = i.substring(i.lastIndexOf('@') + 1);
            if (!(idomain.equals(d) || idomain.endsWith("." + d))) {
                throw new DkimException("i= domain " + idomain + " is not d= " + d + " or a subdomain of it");
            }
        }
        if (t.containsKey("x")) {
            long x = parseLong(t.get("x"), "x");
            if (x < clock.millis() / 1000) {
                throw new DkimException("signature expired (x=" + x + ")");
            }
        }
        return new Parsed(f, t, alg, hc, bc, h, d, t.get("s"));
    }

    private DkimResult check(Parsed p, List<HeaderField> headers, byte[] bodyHash) {
        try {
            byte[] claimed = decode(p.tags.get("bh"), "bh");
            if (!MessageDigest.isEqual(claimed, bodyHash)) {
                return result(p, DkimResult.Status.FAIL, "body hash mismatch");
            }
            PublicKey key;
            try {
                key = publicKey(p);
            } catch (TempFail e) {
                return result(p, DkimResult.Status.TEMPERROR, e.getMessage());
            }
            Matcher m = B_TAG.matcher(p.field.raw().substring(p.field.raw().indexOf(':') + 1));
            if (!m.find()) {
                throw new DkimException("b= tag not found");
            }
            String value = p.field.rawValue();
            String withoutB = p.field.raw().substring(0, p.field.raw().indexOf(':') + 1)
                    + value.substring(0, m.end(2)) + value.substring(m.end());
            byte[] data = DkimSigner.signedData(headers, p.h, p.headerCanon, withoutB);
            byte[] sig = decode(p.tags.get("b"), "b");
            boolean ok = p.alg == DkimAlgorithm.RSA_SHA256 ? verifyRsa(key, data, sig) : verifyEd25519(key, data, sig);
            return ok ? result(p, DkimResult.Status.PASS, "good signature")
                    : result(p, DkimResult.Status.FAIL, "signature does not verify");
        } catch (DkimException e) {
            return result(p, DkimResult.Status.PERMERROR, e.getMessage());
        }
    }

    private static DkimResult result(Parsed p, DkimResult.Status s, String detail) {
        return new DkimResult(p.domain, p.selector, s, detail);
    }

    private static final class TempFail extends Exception {
        TempFail(String m) {
            super(m);
        }
    }

    private PublicKey publicKey(Parsed p) throws DkimException, TempFail {
        String name = p.selector + "._domainkey." + p.domain;
        List<String> records;
        try {
            records = lookup.txt(name);
        } catch (DkimException e) {
            throw new TempFail("key lookup of " + name + " failed: " + e.getMessage());
        }
        if (records.isEmpty()) {
            throw new DkimException("no key record at " + name);
        }
        if (records.size() > 1) {
            throw new DkimException("more than one TXT record at " + name);
        }
        return DkimKeys.parsePublicKeyRecord(records.get(0), p.alg, name);
    }

    private static boolean verifyRsa(PublicKey key, byte[] data, byte[] sig) throws DkimException {
        if (((RSAPublicKey) key).getModulus().bitLength() < MIN_RSA_BITS) {
            throw new DkimException("RSA key shorter than " + MIN_RSA_BITS + " bits (RFC 8301)");
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
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, new Ed25519PublicKeyParameters(DkimKeys.rawEd25519(key), 0));
        byte[] hash = DkimSigner.sha256().digest(data);
        verifier.update(hash, 0, hash.length);
        return verifier.verifySignature(sig);
    }

    private static byte[] decode(String b64, String tag) throws DkimException {
        try {
            return Base64.getDecoder().decode(TagList.noWhitespace(b64));
        } catch (IllegalArgumentException e) {
            throw new DkimException(tag + "= is not valid base64");
        }
    }

    private static long parseLong(String v, String tag) throws DkimException {
        try {
            return new BigInteger(v).min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            throw new DkimException(tag + "= is not a number: " + v);
        }
    }
}
