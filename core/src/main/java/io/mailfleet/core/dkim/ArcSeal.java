package io.mailfleet.core.dkim;

import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/** One ARC-Seal field checked for syntax (RFC 8617 §4.1.3): instance, cv=, algorithm, d=, s= and b=. */
final class ArcSeal {

    final HeaderField field;
    final int instance;
    final ArcResult.Status cv;
    final DkimAlgorithm algorithm;
    final String domain;
    final String selector;
    final byte[] signature;

    private ArcSeal(HeaderField field, int instance, ArcResult.Status cv, DkimAlgorithm algorithm, String domain,
                    String selector, byte[] signature) {
        this.field = field;
        this.instance = instance;
        this.cv = cv;
        this.algorithm = algorithm;
        this.domain = domain;
        this.selector = selector;
        this.signature = signature;
    }

    /** @throws DkimException for a seal that is malformed or not acceptable (the chain fails) */
    static ArcSeal parse(HeaderField f) throws DkimException {
        Map<String, String> t = TagList.parse(f.rawValue(), "ARC-Seal");
        for (String required : new String[] {"i", "cv", "a", "b", "d", "s"}) {
            if (!t.containsKey(required)) {
                throw new DkimException("ARC-Seal lacks the required tag " + required + "=");
            }
        }
        if (t.containsKey("h")) {
            throw new DkimException("ARC-Seal must not have h= (RFC 8617 4.1.3)");
        }
        int instance = DkimSignature.arcInstance(t.get("i"));
        ArcResult.Status cv = switch (TagList.noWhitespace(t.get("cv")).toLowerCase(Locale.ROOT)) {
            case "none" -> ArcResult.Status.NONE;
            case "pass" -> ArcResult.Status.PASS;
            case "fail" -> ArcResult.Status.FAIL;
            default -> throw new DkimException("ARC-Seal i=" + instance + " has an unknown cv=" + t.get("cv"));
        };
        String a = TagList.noWhitespace(t.get("a")).toLowerCase(Locale.ROOT);
        if (a.equals("rsa-sha1")) {
            throw new DkimFailure("rsa-sha1 signatures are not accepted (RFC 8301)");
        }
        if (!a.equals(DkimAlgorithm.RSA_SHA256.tag())) {
            throw new DkimException("ARC-Seal i=" + instance + ": a=" + a + " is not rsa-sha256, ARC's one algorithm");
        }
        DkimAlgorithm alg = DkimAlgorithm.RSA_SHA256;
        String d = TagList.noWhitespace(t.get("d")).toLowerCase(Locale.ROOT);
        String s = TagList.noWhitespace(t.get("s")).toLowerCase(Locale.ROOT);
        if (!d.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*") || !s.matches("[a-z0-9_-]+(\\.[a-z0-9_-]+)*")) {
            throw new DkimException("ARC-Seal i=" + instance + " has an invalid d= or s=");
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(TagList.noWhitespace(t.get("b")));
        } catch (IllegalArgumentException e) {
            throw new DkimException("ARC-Seal i=" + instance + ": b= is not valid base64");
        }
        if (b.length == 0) {
            throw new DkimException("ARC-Seal i=" + instance + ": b= is empty");
        }
        return new ArcSeal(f, instance, cv, alg, d, s, b);
    }

    private static final java.util.regex.Pattern INSTANCE =
            java.util.regex.Pattern.compile("(?:^|;)\\s*i\\s*=\\s*([0-9]{1,2})\\s*(?:;|$)");
    private static final java.util.regex.Pattern AAR_INSTANCE =
            java.util.regex.Pattern.compile("^\\s*i\\s*=\\s*([0-9]{1,2})\\s*;");

    /** The instance of an ARC-Seal or AMS field that may not parse otherwise; -1 when it has none. */
    static int instanceOf(HeaderField f) {
        var m = INSTANCE.matcher(f.rawValue().replace("\r\n", ""));
        if (!m.find()) {
            return -1;
        }
        int i = Integer.parseInt(m.group(1));
        return i >= 1 && i <= 50 ? i : -1;
    }

    /** The instance of an ARC-Authentication-Results field ({@code i=N; authserv-id; ...}); -1 when absent. */
    static int aarInstance(HeaderField f) {
        var m = AAR_INSTANCE.matcher(f.rawValue().replace("\r\n", ""));
        if (!m.find()) {
            return -1;
        }
        int i = Integer.parseInt(m.group(1));
        return i >= 1 && i <= 50 ? i : -1;
    }

    /** What an ARC-Authentication-Results field records after {@code i=N;}, unfolded. */
    static String aarResults(HeaderField f) {
        String v = f.rawValue().replace("\r\n", " ");
        int semi = v.indexOf(';');
        return v.substring(semi + 1).strip();
    }
}
