package io.mailfleet.core.dkim;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Adds an ARC set (RFC 8617 §5.1) to a message this server forwards: the ARC-Authentication-Results copy
 * of the {@code Authentication-Results} field this server wrote when the message arrived, an
 * ARC-Message-Signature made like Mailfleet's DKIM signature, and an ARC-Seal whose {@code cv=} is the
 * {@code arc=} result recorded in that field. Reads the message once (only the header section is kept).
 */
public final class ArcSealer {

    private static final Pattern ARC_RESULT = Pattern.compile("(?:^|;)\\s*arc\\s*=\\s*([a-zA-Z]+)");

    private final DkimSigningKey key;
    private final Clock clock;

    /** @throws IllegalArgumentException for a key ARC cannot seal with (see {@link #canSealWith}) */
    public ArcSealer(DkimSigningKey key, Clock clock) {
        if (!canSealWith(key)) {
            throw new IllegalArgumentException("ARC seals with rsa-sha256 only (RFC 8617 4.1.3), not "
                    + key.algorithm().tag());
        }
        this.key = key;
        this.clock = clock;
    }

    /** RFC 8617 defines rsa-sha256 as ARC's only algorithm: an Ed25519 DKIM key does not seal. */
    public static boolean canSealWith(DkimSigningKey key) {
        return key.algorithm() == DkimAlgorithm.RSA_SHA256;
    }

    /**
     * The three fields to prepend (ARC-Seal first), ending with CRLF; empty when the message cannot be
     * sealed: it carries no Authentication-Results of {@code authservId}, its chain already has 50 sets or
     * already failed, or it has ARC sets whose validation this server did not record.
     *
     * @throws DkimException when the message has no From field or its header section is malformed
     */
    public Optional<String> seal(InputStream message, String authservId) throws IOException, DkimException {
        List<HeaderField> headers = HeaderSection.read(message);
        String results = null;
        for (HeaderField f : headers) {
            if (f.lowerName().equals("authentication-results")) {
                String v = f.rawValue().strip();
                int semi = v.indexOf(';');
                String id = (semi < 0 ? v : v.substring(0, semi)).strip();
                if (id.equalsIgnoreCase(authservId)) {
                    // the topmost one is ours: a forged copy further down was removed on arrival
                    results = semi < 0 ? "" : v.substring(semi + 1).strip();
                    break;
                }
            }
        }
        if (results == null) {
            return Optional.empty();
        }
        TreeMap<Integer, List<HeaderField>> chain = new TreeMap<>();
        for (HeaderField f : headers) {
            String n = f.lowerName();
            int i = n.equals("arc-authentication-results") ? ArcSeal.aarInstance(f)
                    : n.equals("arc-message-signature") || n.equals("arc-seal") ? ArcSeal.instanceOf(f) : 0;
            if (i != 0) {
                chain.computeIfAbsent(i, k -> new ArrayList<>()).add(f);
            }
        }
        int instance = chain.isEmpty() ? 1 : chain.lastKey() + 1;
        if (instance > 50 || chain.containsKey(-1)) {
            return Optional.empty();
        }
        ArcResult.Status cv = ArcResult.Status.NONE;
        if (instance > 1) {
            Matcher m = ARC_RESULT.matcher(results.replace("\r\n", ""));
            String recorded = m.find() ? m.group(1).toLowerCase(Locale.ROOT) : "";
            if (recorded.equals("pass")) {
                cv = ArcResult.Status.PASS;
            } else if (recorded.equals("fail") && !alreadyFailed(chain.lastEntry().getValue())) {
                cv = ArcResult.Status.FAIL;
            } else {
                return Optional.empty();
            }
        }
        long t = clock.millis() / 1000;
        String aar = "ARC-Authentication-Results: i=" + instance + "; " + authservId + ";\r\n\t" + results;
        String bh = DkimSigner.bodyHash(message);
        List<String> h = DkimSigner.headersToSign(headers);
        String amsUnsigned = "ARC-Message-Signature: i=" + instance + "; a=" + key.algorithm().tag()
                + "; c=relaxed/relaxed;\r\n"
                + "\td=" + key.domain() + "; s=" + key.selector() + "; t=" + t + ";\r\n"
                + "\th=" + DkimSigner.foldList(h) + ";\r\n"
                + "\tbh=" + bh + ";\r\n"
                + "\tb=";
        byte[] amsData = DkimSigner.signedData(headers, h, Canonicalization.RELAXED, "ARC-Message-Signature",
                amsUnsigned);
        String ams = amsUnsigned + DkimSigner.fold(sign(amsData));
        String sealUnsigned = "ARC-Seal: i=" + instance + "; a=" + key.algorithm().tag() + "; cv=" + cv.keyword()
                + ";\r\n\td=" + key.domain() + "; s=" + key.selector() + "; t=" + t + ";\r\n\tb=";
        List<HeaderField> sealed = new ArrayList<>();
        if (cv != ArcResult.Status.FAIL) {
            // a failed chain is not vouched for: the seal then covers only its own set (RFC 8617 §5.1.2)
            for (List<HeaderField> set : chain.values()) {
                sealed.add(one(set, "arc-authentication-results"));
                sealed.add(one(set, "arc-message-signature"));
                sealed.add(one(set, "arc-seal"));
            }
        }
        sealed.add(field(aar));
        sealed.add(field(ams));
        sealed.add(field(sealUnsigned));
        String seal = sealUnsigned + DkimSigner.fold(sign(ArcVerifier.sealInput(sealed)
                .getBytes(StandardCharsets.ISO_8859_1)));
        return Optional.of(seal + "\r\n" + ams + "\r\n" + aar + "\r\n");
    }

    private static boolean alreadyFailed(List<HeaderField> newest) {
        for (HeaderField f : newest) {
            if (f.lowerName().equals("arc-seal") && f.rawValue().replace("\r\n", "").matches("(?is).*\\bcv\\s*=\\s*fail.*")) {
                return true;
            }
        }
        return false;
    }

    private static HeaderField one(List<HeaderField> set, String name) throws DkimException {
        HeaderField found = null;
        for (HeaderField f : set) {
            if (f.lowerName().equals(name)) {
                if (found != null) {
                    throw new DkimException("ARC set i=" + ArcSeal.instanceOf(f) + " has two " + f.name() + " fields");
                }
                found = f;
            }
        }
        if (found == null) {
            throw new DkimException("an ARC set lacks its " + name + " field");
        }
        return found;
    }

    private static HeaderField field(String raw) {
        return new HeaderField(raw.substring(0, raw.indexOf(':')), raw);
    }

    private String sign(byte[] data) throws DkimException {
        return Base64.getEncoder().encodeToString(DkimSigner.signBytes(key, data));
    }
}
