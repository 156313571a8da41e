package io.mailfleet.bench;

import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;

import javax.net.ssl.SSLContext;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;

/**
 * The sink's domain as the node finds it when {@code bench relay --mta-sts} delivers by MX instead of
 * through a relay host: {@link BenchDns} answers its MX and addresses, the sink offers STARTTLS with a
 * certificate for the MX name from a {@link BenchCa} the node trusts, and with {@code enforce} the
 * domain also publishes an {@code _mta-sts} TXT record and an {@code enforce} policy on a local HTTPS
 * server. Both modes share everything else, so their difference is the policy's cost.
 */
final class MxDestination implements AutoCloseable {

    static final String DOMAIN = "relay.example";
    static final String MX_HOST = "mx." + DOMAIN;
    static final String POLICY_ID = "bench1";

    private final BenchDns dns;
    private final BenchPolicyServer policy;
    private final SSLContext sinkTls;
    private final Path caFile;

    private MxDestination(BenchDns dns, BenchPolicyServer policy, SSLContext sinkTls, Path caFile) {
        this.dns = dns;
        this.policy = policy;
        this.sinkTls = sinkTls;
        this.caFile = caFile;
    }

    /** The DNS answers, certificates and (with {@code enforce}) the policy host; the CA file goes into {@code dir}. */
    static MxDestination start(Path dir, boolean enforce) throws Exception {
        BenchCa ca = new BenchCa();
        Path pem = ca.writePem(dir.resolve("bench-ca.pem"));
        BenchDns dns = new BenchDns();
        BenchPolicyServer policy = null;
        try {
            InetAddress loopback = InetAddress.getByName("127.0.0.1");
            // negative answers (no _mta-sts record without a policy, no AAAA) are cached like positive ones
            dns.soa(DOMAIN, 3600).add(new MXRecord(BenchDns.fqdn(DOMAIN), DClass.IN, 3600, 10, BenchDns.fqdn(MX_HOST)))
                    .add(new ARecord(BenchDns.fqdn(MX_HOST), DClass.IN, 3600, loopback));
            if (enforce) {
                policy = new BenchPolicyServer(ca.server("mta-sts." + DOMAIN),
                        "version: STSv1\r\nmode: enforce\r\nmx: " + MX_HOST + "\r\nmax_age: 86400\r\n");
                dns.txt("_mta-sts." + DOMAIN, "v=STSv1; id=" + POLICY_ID + ";")
                        .add(new ARecord(BenchDns.fqdn("mta-sts." + DOMAIN), DClass.IN, 3600, loopback));
            }
            return new MxDestination(dns, policy, ca.server(MX_HOST), pem);
        } catch (Exception | Error e) {
            dns.close();
            if (policy != null) {
                policy.close();
            }
            throw e;
        }
    }

    /** The certificate the sink presents after STARTTLS. */
    SSLContext sinkTls() {
        return sinkTls;
    }

    /** The node's settings: this DNS server, the MX port of the sink, the bench CA, the policy host's port. */
    void configure(Map<String, String> env, int sinkPort) {
        env.put("MAILFLEET_DNS_SERVER", dns.address());
        env.put("MAILFLEET_OUTBOUND_MX_PORT", Integer.toString(sinkPort));
        env.put("MAILFLEET_OUTBOUND_TLS_CA_FILE", caFile.toString());
        if (policy != null) {
            env.put("MAILFLEET_MTA_STS_HTTPS_PORT", Integer.toString(policy.port()));
        }
    }

    /** Policy fetches answered (0 without a policy). */
    long policyFetches() {
        return policy == null ? 0 : policy.fetches();
    }

    long dnsQueries() {
        return dns.queries();
    }

    @Override
    public void close() {
        dns.close();
        if (policy != null) {
            policy.close();
        }
    }
}
