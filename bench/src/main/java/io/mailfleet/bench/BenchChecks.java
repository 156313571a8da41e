package io.mailfleet.bench;

import io.mailfleet.core.dkim.DkimSigningKey;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The inbound checks a {@code bench smtp --checks} run turns on in its in-process node, and the DNS
 * zone and whitelist they need: the sender domain's SPF, DKIM and DMARC records and a DNSBL zone in
 * which 127.0.0.1 is not listed, all served by {@link BenchDns} and cached by the node's resolver.
 */
final class BenchChecks {

    /** One group of checks, named as on the command line. */
    enum Group {
        /** SPF, DKIM verification and DMARC (issue 14); the bench messages are DKIM-signed. */
        AUTH,
        /** Postscreen pregreet, DNSBL and greylisting with the load client's address whitelisted (issue 15). */
        DEFENCES,
        /** The built-in spam scorer (issue 16). */
        SCORER
    }

    static final String SELECTOR = "bench";
    static final String DNSBL_ZONE = "dnsbl.bench.test";

    private BenchChecks() {
    }

    /** {@code none}, {@code all} or a comma list of {@code auth}, {@code defences}, {@code scorer}. */
    static Set<Group> parse(String v) throws BenchUsageException {
        EnumSet<Group> set = EnumSet.noneOf(Group.class);
        for (String s : v.split(",")) {
            String t = s.trim().toLowerCase(Locale.ROOT);
            switch (t) {
                case "none" -> { }
                case "all" -> set.addAll(EnumSet.allOf(Group.class));
                case "auth" -> set.add(Group.AUTH);
                case "defences", "defenses" -> set.add(Group.DEFENCES);
                case "scorer" -> set.add(Group.SCORER);
                default -> throw new BenchUsageException("--checks takes none, all or a comma list of auth, defences,"
                        + " scorer; got '" + s + "'");
            }
        }
        return Set.copyOf(set);
    }

    /** A fresh RSA-2048 key of the sender domain, selector {@value #SELECTOR}. */
    static KeyPair dkimKeys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static DkimSigningKey signingKey(String senderDomain, KeyPair keys) {
        return new DkimSigningKey(senderDomain, SELECTOR, keys.getPrivate());
    }

    /** The sender domain's SPF (127.0.0.1 allowed), DKIM key and DMARC (p=reject) records. */
    static void publishSender(BenchDns dns, String senderDomain, KeyPair keys) {
        dns.txt(senderDomain, "v=spf1 ip4:127.0.0.1 -all");
        dns.txt(SELECTOR + "._domainkey." + senderDomain,
                "v=DKIM1; k=rsa; p=" + Base64.getEncoder().encodeToString(keys.getPublic().getEncoded()));
        dns.txt("_dmarc." + senderDomain, "v=DMARC1; p=reject; adkim=r; aspf=r");
    }

    /** The node's environment for the groups; {@code confDir} gets the greylist whitelist. */
    static void apply(Set<Group> groups, boolean internetClient, Map<String, String> env, String dnsServer,
                      Path confDir) throws IOException {
        if (internetClient) {
            // loopback is trusted (relay, no checks) while TRUSTED_NETWORKS is unset: a documentation-only
            // network instead makes the load client an ordinary client on port 25
            env.put("TRUSTED_NETWORKS", "192.0.2.0/24");
        }
        if (dnsServer != null) {
            env.put("MAILFLEET_DNS_SERVER", dnsServer);
        }
        if (groups.contains(Group.AUTH)) {
            env.put("ENABLE_POLICYD_SPF", "1");
            env.put("ENABLE_OPENDKIM", "1");
            env.put("ENABLE_OPENDMARC", "1");
        }
        if (groups.contains(Group.DEFENCES)) {
            env.put("MAILFLEET_POSTSCREEN", "1");
            env.put("ENABLE_DNSBL", "1");
            env.put("MAILFLEET_DNSBL_SITES", DNSBL_ZONE);
            env.put("ENABLE_POSTGREY", "1");
            Files.createDirectories(confDir);
            Files.writeString(confDir.resolve("whitelist_clients.local"), "# the bench's load client\n127.0.0.1\n");
            Files.writeString(confDir.resolve("whitelist_recipients"), "");
            env.put("DMS_CONFIG_DIR", confDir.toString());
        }
        if (groups.contains(Group.SCORER)) {
            env.put("MAILFLEET_SPAM_SCORER", "1");
        }
    }

    static String describe(Set<Group> groups) {
        if (groups.isEmpty()) {
            return "none";
        }
        return String.join(",", groups.stream().sorted().map(g -> g.name().toLowerCase(Locale.ROOT)).toList());
    }
}
