package io.mailfleet.protocols.outbound.dane;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Authenticates a peer's certificate chain with TLSA records as RFC 7672 §3.1 says: DANE-EE(3)
 * matches the end-entity certificate and skips name and validity checks (§3.1.1); DANE-TA(2)
 * matches a certificate of the chain the server sent, which then anchors a PKIX validation of the
 * certificates below it, and the end-entity certificate must name the MX host or the nexthop
 * domain (§3.2.2).
 */
public final class TlsaMatcher {

    private TlsaMatcher() {
    }

    /** The outcome: the record that matched (and how), or why none did. */
    public record Verdict(boolean pass, String detail) {
    }

    /**
     * @param usable  the usable TLSA records of the host (at least one)
     * @param chain   the chain the server presented, end-entity first
     * @param names   the end-entity certificate's DNS names (for DANE-TA)
     * @param accepts whether one of those names is acceptable (MX host name or nexthop domain)
     */
    public static Verdict check(List<Tlsa> usable, X509Certificate[] chain, List<String> names,
                                java.util.function.Predicate<List<String>> accepts) {
        if (chain.length == 0) {
            return new Verdict(false, "the server presented no certificate");
        }
        String last = "the certificate matches none of the TLSA records " + usable;
        for (Tlsa t : usable) {
            if (t.usage() == 3) {
                if (matches(t, chain[0])) {
                    return new Verdict(true, "usage=dane-ee tlsa=\"" + abbreviated(t) + "\"");
                }
            } else if (t.usage() == 2) {
                for (int i = 0; i < chain.length; i++) {
                    if (!matches(t, chain[i])) {
                        continue;
                    }
                    String problem = anchoredChain(chain, i);
                    if (problem == null && !accepts.test(names)) {
                        problem = "the certificate names " + names + " match neither the MX host nor the nexthop domain";
                    }
                    if (problem == null) {
                        return new Verdict(true, "usage=dane-ta tlsa=\"" + abbreviated(t) + "\"");
                    }
                    last = "DANE-TA record " + abbreviated(t) + " matched, but " + problem;
                }
            }
        }
        return new Verdict(false, last);
    }

    /** PKIX from the end-entity certificate up to chain[anchor] as the trust anchor; null when valid. */
    private static String anchoredChain(X509Certificate[] chain, int anchor) {
        if (anchor == 0) {
            try {
                chain[0].checkValidity();
                return null;
            } catch (GeneralSecurityException e) {
                return "the certificate is not valid now: " + e.getMessage();
            }
        }
        try {
            PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(chain[anchor], null)));
            params.setRevocationEnabled(false);
            var path = CertificateFactory.getInstance("X.509").generateCertPath(Arrays.asList(chain).subList(0, anchor));
            CertPathValidator.getInstance("PKIX").validate(path, params);
            return null;
        } catch (GeneralSecurityException e) {
            return "the chain below it does not validate: " + e.getMessage();
        }
    }

    /** Whether the certificate's selected part, digested per the matching type, equals the record's data. */
    static boolean matches(Tlsa t, X509Certificate cert) {
        try {
            byte[] selected = t.selector() == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
            byte[] value = switch (t.matchingType()) {
                case 0 -> selected;
                case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
                case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
                default -> null;
            };
            return value != null && MessageDigest.isEqual(value, t.data());
        } catch (CertificateEncodingException | java.security.NoSuchAlgorithmException e) {
            return false;
        }
    }

    /** The record for the log: the digest shortened. */
    private static String abbreviated(Tlsa t) {
        String s = t.toString();
        return s.length() > 24 ? s.substring(0, 24) + "..." : s;
    }

    /** The TLSA association data of a certificate for {@code selector}/{@code matchingType} (for publishing records). */
    public static byte[] association(X509Certificate cert, int selector, int matchingType) throws GeneralSecurityException {
        byte[] selected = selector == 0 ? cert.getEncoded() : cert.getPublicKey().getEncoded();
        return switch (matchingType) {
            case 0 -> selected;
            case 1 -> MessageDigest.getInstance("SHA-256").digest(selected);
            case 2 -> MessageDigest.getInstance("SHA-512").digest(selected);
            default -> throw new IllegalArgumentException("unknown matching type " + matchingType);
        };
    }
}
