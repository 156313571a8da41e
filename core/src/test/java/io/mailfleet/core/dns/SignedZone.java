package io.mailfleet.core.dns;

import org.xbill.DNS.DClass;
import org.xbill.DNS.DNSKEYRecord;
import org.xbill.DNS.DNSSEC;
import org.xbill.DNS.Name;
import org.xbill.DNS.RRSIGRecord;
import org.xbill.DNS.RRset;
import org.xbill.DNS.Record;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A DNSSEC-signed zone made in a test: a fresh ECDSA P-256 key (algorithm 13) signs the DNSKEY RRset
 * and every RRset added, with a chosen validity window (an expired one makes the zone bogus). The
 * key's DNSKEY record, as text, is the trust anchor the validating resolver is given.
 */
public final class SignedZone {

    private final Name apex;
    private final KeyPair key;
    private final DNSKEYRecord dnskey;
    private final Instant inception;
    private final Instant expiration;
    private final Map<String, RRset> rrsets = new LinkedHashMap<>();

    /** A zone whose signatures are valid from an hour ago for a day. */
    public SignedZone(String apex) throws Exception {
        this(apex, Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(1)));
    }

    /** A zone whose signatures are valid between {@code inception} and {@code expiration}. */
    public SignedZone(String apex, Instant inception, Instant expiration) throws Exception {
        this.apex = Name.fromString(apex.endsWith(".") ? apex : apex + ".");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        this.key = g.generateKeyPair();
        this.dnskey = new DNSKEYRecord(this.apex, DClass.IN, 300, DNSKEYRecord.Flags.ZONE_KEY | DNSKEYRecord.Flags.SEP_KEY,
                DNSKEYRecord.Protocol.DNSSEC, DNSSEC.Algorithm.ECDSAP256SHA256, key.getPublic());
        this.inception = inception;
        this.expiration = expiration;
        add(dnskey);
    }

    /** Adds a record to its RRset (signed when {@link #records} is called). */
    public SignedZone add(Record r) {
        rrsets.computeIfAbsent(r.getName().toString().toLowerCase() + "/" + r.getType(), k -> new RRset()).addRR(r);
        return this;
    }

    /**
     * Every record with the RRSIG of its RRset, for {@link LoopbackDnsServer#add}; with the apex SOA and an
     * NSEC chain (RFC 4034 §4) so that NODATA and NXDOMAIN answers are provably secure.
     */
    public List<Record> records() throws Exception {
        Map<String, RRset> sets = new LinkedHashMap<>(rrsets);
        sets.put("soa", new RRset(new org.xbill.DNS.SOARecord(apex, DClass.IN, 60, Name.fromString("ns." + apex),
                Name.fromString("hostmaster." + apex), 1, 3600, 600, 86400, 60)));
        java.util.TreeMap<Name, java.util.Set<Integer>> owners = new java.util.TreeMap<>();
        for (RRset set : sets.values()) {
            owners.computeIfAbsent(set.getName(), n -> new java.util.TreeSet<>()).add(set.getType());
        }
        List<Name> names = new ArrayList<>(owners.keySet());
        for (int i = 0; i < names.size(); i++) {
            java.util.Set<Integer> types = new java.util.TreeSet<>(owners.get(names.get(i)));
            types.add(org.xbill.DNS.Type.NSEC);
            types.add(org.xbill.DNS.Type.RRSIG);
            Name next = names.get((i + 1) % names.size());
            sets.put("nsec/" + names.get(i), new RRset(new org.xbill.DNS.NSECRecord(names.get(i), DClass.IN, 60, next,
                    types.stream().mapToInt(Integer::intValue).toArray())));
        }
        List<Record> out = new ArrayList<>();
        for (RRset set : sets.values()) {
            out.addAll(set.rrs());
            RRSIGRecord sig = DNSSEC.sign(set, dnskey, key.getPrivate(), inception, expiration);
            out.add(sig);
        }
        return out;
    }

    /** Serves the zone from {@code server}. */
    public void serveFrom(LoopbackDnsServer server) throws Exception {
        for (Record r : records()) {
            server.add(r);
        }
    }

    /** The trust anchor for this zone: its DNSKEY in zone-file form. */
    public String trustAnchor() {
        return dnskey.toString() + "\n";
    }

    public Name apex() {
        return apex;
    }
}
