package io.mailfleet.protocols.outbound.dane;

import org.xbill.DNS.TLSARecord;

import java.util.HexFormat;

/**
 * One TLSA record's parameters (RFC 6698 §2.1).
 *
 * @param usage        0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE
 * @param selector     0 full certificate, 1 SubjectPublicKeyInfo
 * @param matchingType 0 exact, 1 SHA-256, 2 SHA-512
 * @param data         the certificate association data
 */
public record Tlsa(int usage, int selector, int matchingType, byte[] data) {

    public Tlsa {
        data = data.clone();
    }

    public static Tlsa of(TLSARecord r) {
        return new Tlsa(r.getCertificateUsage(), r.getSelector(), r.getMatchingType(), r.getCertificateAssociationData());
    }

    /**
     * Usable for SMTP (RFC 7672 §3.1): DANE-TA or DANE-EE (PKIX-TA and PKIX-EE are not, §3.1.3),
     * a known selector and matching type, and a digest of the right length. Anything else is
     * "unusable" and ignored (RFC 7672 §2.2).
     */
    public boolean usable() {
        if (usage != 2 && usage != 3) {
            return false;
        }
        if (selector != 0 && selector != 1) {
            return false;
        }
        return switch (matchingType) {
            case 0 -> data.length > 0;
            case 1 -> data.length == 32;
            case 2 -> data.length == 64;
            default -> false;
        };
    }

    /** {@code 3 1 1 <hex>}, the RFC 8460 policy-string form. */
    @Override
    public String toString() {
        return usage + " " + selector + " " + matchingType + " " + HexFormat.of().formatHex(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tlsa t && t.usage == usage && t.selector == selector && t.matchingType == matchingType
                && java.util.Arrays.equals(t.data, data);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(usage, selector, matchingType, java.util.Arrays.hashCode(data));
    }
}
