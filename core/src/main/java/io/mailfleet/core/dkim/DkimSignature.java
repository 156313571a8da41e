package io.mailfleet.core.dkim;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One DKIM-Signature field checked for syntax and policy (RFC 6376 §6.1.1, RFC 8301): what is needed to
 * hash its body, fetch its key and verify it.
 */
final class DkimSignature {

    private static final Pattern NAME = Pattern.compile("[a-z0-9_-]+(\\.[a-z0-9_-]+)*");
    private static final Pattern B_TAG = Pattern.compile("(^|;)([ \\t\\r\\n]*b[ \\t\\r\\n]*=)[^;]*");

    final HeaderField field;
    final DkimAlgorithm algorithm;
    final Canonicalization headerCanon;
    final Canonicalization bodyCanon;
    final List<String> signedHeaders;
    final String domain;
    final String selector;
    final String identity;
    final long bodyLength;
    final byte[] bodyHash;
    final byte[] signature;
    final String bPrefix;
    /** The ARC instance (RFC 8617 i=) of an ARC-Message-Signature; 0 for a DKIM-Signature. */
    final int instance;
    private final String algorithmText;

    private DkimSignature(HeaderField field, Map<String, String> t, DkimAlgorithm alg, Canonicalization hc,
                          Canonicalization bc, List<String> h, String d, String s, String i, long l, byte[] bh,
                          byte[] b, int instance) {
        this.field = field;
        this.instance = instance;
        this.algorithm = alg;
        this.headerCanon = hc;
        this.bodyCanon = bc;
        this.signedHeaders = h;
        this.domain = d;
        this.selector = s;
        this.identity = i;
        this.bodyLength = l;
        this.bodyHash = bh;
        this.signature = b;
        String bText = TagList.noWhitespace(t.get("b"));
        this.bPrefix = bText.substring(0, Math.min(8, bText.length()));
        this.algorithmText = t.get("a");
    }

    /** The key record's DNS name, {@code s._domainkey.d}. */
    String keyName() {
        return selector + "._domainkey." + domain;
    }

    DkimResult result(DkimResult.Status status, String detail) {
        return new DkimResult(domain, selector, status, detail, identity, algorithmText, bPrefix, bodyLength, false);
    }

    /**
     * Parses {@code f} and applies the verifier's acceptance rules.
     *
     * @param now the verification time in seconds since the epoch, for x=
     * @throws DkimFailure   for a signature that is not acceptable (fail)
     * @throws DkimException for a malformed one (permerror)
     */
    static DkimSignature parse(HeaderField f, long now) throws DkimException {
        return parse(f, now, false);
    }

    /**
     * Parses an ARC-Message-Signature (RFC 8617 §4.1.2): a DKIM-Signature without v= whose i= is the ARC
     * instance, which must not sign ARC-Seal fields.
     */
    static DkimSignature parseArcMessageSignature(HeaderField f, long now) throws DkimException {
        return parse(f, now, true);
    }

    private static DkimSignature parse(HeaderField f, long now, boolean arc) throws DkimException {
        String what = arc ? "ARC-Message-Signature" : "DKIM-Signature";
        Map<String, String> t = TagList.parse(f.rawValue(), what);
        for (String required : arc ? List.of("i", "a", "b", "bh", "d", "h", "s")
                : List.of("v", "a", "b", "bh", "d", "h", "s")) {
            if (!t.containsKey(required)) {
                throw new DkimException(what + " lacks the required tag " + required + "=");
            }
        }
        if (!arc && !t.get("v").equals("1")) {
            throw new DkimException("unsupported DKIM-Signature version v=" + t.get("v"));
        }
        int instance = arc ? arcInstance(t.get("i")) : 0;
        String a = t.get("a").toLowerCase(Locale.ROOT);
        if (a.equals("rsa-sha1")) {
            throw new DkimFailure("rsa-sha1 signatures are not accepted (RFC 8301)");
        }
        DkimAlgorithm alg = DkimAlgorithm.parse(a);
        if (arc && alg != DkimAlgorithm.RSA_SHA256) {
            throw new DkimException("ARC-Message-Signature a=" + a + " is not rsa-sha256, ARC's one algorithm (RFC 8617)");
        }
        // ARC sealers write c=; without one, relaxed as dkimpy reads it
        String c = TagList.noWhitespace(t.getOrDefault("c", arc ? "relaxed/relaxed" : "simple/simple"));
        int slash = c.indexOf('/');
        Canonicalization hc = Canonicalization.parse(slash < 0 ? c : c.substring(0, slash));
        Canonicalization bc = slash < 0 ? Canonicalization.SIMPLE : Canonicalization.parse(c.substring(slash + 1));
        if (t.containsKey("q") && !Arrays.asList(TagList.noWhitespace(t.get("q")).toLowerCase(Locale.ROOT).split(":"))
                .contains("dns/txt")) {
            throw new DkimException("unsupported key query method q=" + t.get("q"));
        }
        List<String> h = Arrays.stream(TagList.noWhitespace(t.get("h")).split(":"))
                .filter(x -> !x.isEmpty()).map(x -> x.toLowerCase(Locale.ROOT)).toList();
        if (!h.contains("from")) {
            throw new DkimException("h= does not include From");
        }
        if (arc && h.contains("arc-seal")) {
            throw new DkimException("an ARC-Message-Signature must not sign ARC-Seal (RFC 8617 4.1.2)");
        }
        String d = t.get("d").toLowerCase(Locale.ROOT);
        if (!NAME.matcher(d).matches() || d.length() > 253) {
            throw new DkimException("d= is not a domain name");
        }
        String s = t.get("s").toLowerCase(Locale.ROOT);
        if (!NAME.matcher(s).matches() || s.length() > 253) {
            throw new DkimException("s= is not a selector");
        }
        String i = "@" + d;
        if (!arc && t.containsKey("i")) {
            i = TagList.noWhitespace(t.get("i"));
            int at = i.lastIndexOf('@');
            String idomain = at < 0 ? "" : i.substring(at + 1).toLowerCase(Locale.ROOT);
            if (!(idomain.equals(d) || idomain.endsWith("." + d))) {
                throw new DkimException("i= domain is not d= " + d + " or a subdomain of it");
            }
        }
        long l = t.containsKey("l") ? number(t.get("l"), "l") : -1;
        long signedAt = t.containsKey("t") ? number(t.get("t"), "t") : -1;
        if (t.containsKey("x")) {
            long x = number(t.get("x"), "x");
            if (signedAt >= 0 && x < signedAt) {
                throw new DkimException("x= is before t=");
            }
            if (x < now) {
                throw new DkimFailure("signature expired (x=" + x + ")");
            }
        }
        byte[] bh = base64(t.get("bh"), "bh");
        byte[] b = base64(t.get("b"), "b");
        if (b.length == 0) {
            throw new DkimException("b= is empty");
        }
        return new DkimSignature(f, t, alg, hc, bc, h, d, s, i, l, bh, b, instance);
    }

    /** An ARC instance number (RFC 8617 §4.2.1: 1 to 50). */
    static int arcInstance(String value) throws DkimException {
        String v = value == null ? "" : TagList.noWhitespace(value);
        if (v.isEmpty() || v.length() > 2 || !v.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new DkimException("ARC instance i=" + value + " is not a number from 1 to 50");
        }
        int i = Integer.parseInt(v);
        if (i < 1 || i > 50) {
            throw new DkimException("ARC instance i=" + i + " is not from 1 to 50");
        }
        return i;
    }

    /** The signature field with the b= value emptied, as it was hashed (RFC 6376 §3.7). */
    String withoutSignature() throws DkimException {
        return withoutSignature(field);
    }

    /** {@code field} with its b= value emptied: the form a DKIM-Signature, AMS or ARC-Seal was hashed in. */
    static String withoutSignature(HeaderField field) throws DkimException {
        String raw = field.raw();
        int colon = raw.indexOf(':');
        String value = raw.substring(colon + 1);
        var m = B_TAG.matcher(value);
        if (!m.find()) {
            throw new DkimException("b= tag not found");
        }
        return raw.substring(0, colon + 1) + value.substring(0, m.end(2)) + value.substring(m.end());
    }

    /** A tag of a field that did not parse, for the result; null when absent or unreadable. */
    static String tagOrNull(HeaderField f, String tag) {
        try {
            String v = TagList.parse(f.rawValue(), "DKIM-Signature").get(tag);
            return v == null || !NAME.matcher(v.toLowerCase(Locale.ROOT)).matches() ? null : v.toLowerCase(Locale.ROOT);
        } catch (DkimException e) {
            return null;
        }
    }

    private static byte[] base64(String value, String tag) throws DkimException {
        try {
            return Base64.getDecoder().decode(TagList.noWhitespace(value));
        } catch (IllegalArgumentException e) {
            throw new DkimException(tag + "= is not valid base64");
        }
    }

    private static long number(String v, String tag) throws DkimException {
        String digits = TagList.noWhitespace(v);
        if (digits.isEmpty() || digits.length() > 76 || !digits.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new DkimException(tag + "= is not a number");
        }
        return new BigInteger(digits).min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact();
    }
}
