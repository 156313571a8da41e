package io.mailfleet.server.config;

import com.typesafe.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MailfleetConfigTest {

    @TempDir
    Path tmp;

    private static Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    private Path file(String content) throws Exception {
        Path f = tmp.resolve("mailfleet.conf");
        Files.writeString(f, content);
        return f;
    }

    private static String error(Path file, Map<String, String> env) {
        ConfigError e = assertThrows(ConfigError.class, () -> MailfleetConfig.load(file, env));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void theMtaStsPolicySettingsAreCheckedAndNameTheirKey() {
        MtaStsServerSettings d = MtaStsServerSettings.of(MailfleetConfig.load(null, env()));
        assertFalse(d.enabled());
        assertEquals("testing", d.mode());
        assertEquals(604800, d.maxAge());
        assertEquals(java.util.List.of(), d.mx());
        MtaStsServerSettings set = MtaStsServerSettings.of(MailfleetConfig.load(null, env("MAILFLEET_MTA_STS_MODE", "Enforce",
                "MAILFLEET_MTA_STS_MX", "mail.example.com,*.example.net", "MAILFLEET_MTA_STS_SERVER_PORT", "443")));
        assertEquals("enforce", set.mode());
        assertEquals(java.util.List.of("mail.example.com", "*.example.net"), set.mx());
        assertEquals(443, set.port());
        assertTrue(error(null, env("MAILFLEET_MTA_STS_MODE", "sometimes")).contains("mailfleet.mta-sts-server.mode"));
        assertTrue(error(null, env("MAILFLEET_MTA_STS_MAX_AGE", "99999999999")).contains("mailfleet.mta-sts-server.max-age"));
        assertTrue(error(null, env("MAILFLEET_MTA_STS_MX", "mail.*.example.com")).contains("mailfleet.mta-sts-server.mx"));
        assertTrue(error(null, env("MAILFLEET_MTA_STS_SERVER_BIND", "10.0.0.0/8")).contains("mailfleet.mta-sts-server.bind"));
    }

    @Test
    void defaults() {
        LoadedConfig lc = MailfleetConfig.load(null, env());
        Settings s = lc.settings();
        assertEquals("mail.example.com", s.hostname());
        assertEquals("example.com", s.domainName());
        assertEquals("postmaster@example.com", s.postmasterAddress());
        assertEquals(Path.of("data").toAbsolutePath(), s.dataDir());
        assertEquals(25, s.smtp().port());
        assertEquals(587, s.smtp().submissionPort());
        assertEquals(465, s.smtp().submissionsPort());
        assertEquals(10240000L, s.smtp().messageSizeLimit());
        assertEquals(1000, s.smtp().maxRecipients());
        assertEquals(SmtpSettings.BareNewline.REJECT, s.smtp().bareNewline());
        assertEquals(Duration.ofSeconds(300), s.smtp().idleTimeout());
        assertEquals(20, s.smtp().hardErrorLimit());
        assertEquals("+", s.smtp().recipientDelimiter());
        assertEquals(List.of(), s.smtp().trustedNetworks());
        assertTrue(s.imap().enabled());
        assertEquals(143, s.imap().port());
        assertEquals(993, s.imap().tlsPort());
        assertEquals(Duration.ofSeconds(60), s.imap().authCacheTtl());
        assertFalse(s.imap().utf8Accept());
        assertFalse(s.pop3().enabled());
        assertEquals(110, s.pop3().port());
        assertEquals(995, s.pop3().tlsPort());
        assertFalse(s.manageSieve().enabled());
        assertEquals(4190, s.manageSieve().port());
        assertTrue(s.quotas().enabled());
        assertEquals(0, s.quotas().defaultLimit());
        assertEquals(TlsSettings.Type.NONE, s.tls().type());
        assertEquals(TlsSettings.Level.MODERN, s.tls().level());
        assertTrue(s.spam().moveToJunk());
        assertFalse(s.spam().markAsRead());
        assertFalse(s.srsEnabled());
        assertEquals("SHA512-CRYPT", s.passwordScheme());
        assertEquals(new ManagementSettings("127.0.0.1", 8780, ""), s.management());
        assertEquals(new ClusterSettings("127.0.0.1", 7355, List.of(), 8558,
                Path.of("./data/cluster-tls").toAbsolutePath().normalize(), false), s.cluster());
        assertEquals("info", s.logLevel());
        Config c = lc.config();
        assertEquals(Path.of("data").toAbsolutePath().toString(), c.getString("mailfleet.storage.data-dir"));
        assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(7355, c.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(8558, c.getInt("pekko.management.http.port"));
        assertEquals("cluster", c.getString("pekko.actor.provider"));
        assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"));
        // other jars' reference.conf is part of the result
        assertTrue(c.hasPath("pekko.actor.default-dispatcher"));
    }

    @Test
    void hostnameDefaultsToTheLocalNameAndPostmasterFollowsIt() {
        Settings s = MailfleetConfig.load(null, Map.of()).settings();
        assertFalse(s.hostname().isEmpty());
        assertTrue(s.postmasterAddress().startsWith("postmaster@"));
    }

    @Test
    void environmentVariablesUseDockerMailserverNames() throws Exception {
        Path cert = Files.writeString(tmp.resolve("cert.pem"), "x");
        Path key = Files.writeString(tmp.resolve("key.pem"), "x");
        Settings s = MailfleetConfig.load(null, env(
                "POSTMASTER_ADDRESS", "Boss@Example.com",
                "MAILFLEET_DATA", tmp.toString(),
                "ENABLE_POP3", "1", "ENABLE_IMAP", "0", "ENABLE_MANAGESIEVE", "yes",
                "ENABLE_QUOTAS", "no", "POSTFIX_MAILBOX_SIZE_LIMIT", "5000000",
                "POSTFIX_MESSAGE_SIZE_LIMIT", "0", "SPOOF_PROTECTION", "1",
                "TRUSTED_NETWORKS", "10.0.0.0/8, 192.168.1.7", "PERMIT_DOCKER", "network",
                "SSL_TYPE", "manual", "SSL_CERT_PATH", cert.toString(), "SSL_KEY_PATH", key.toString(),
                "TLS_LEVEL", "intermediate", "MOVE_SPAM_TO_JUNK", "false", "MARK_SPAM_AS_READ", "true",
                "SPAM_SUBJECT", "[SPAM] ", "ENABLE_SRS", "1", "LOG_LEVEL", "debug",
                "MAILFLEET_MANAGEMENT_PORT", "9999", "MAILFLEET_API_TOKEN", "abcdefghijklmnopqrstuvwxyz",
                "ENABLE_FAIL2BAN", "1" /* unrelated variables are ignored */)).settings();
        assertEquals("boss@example.com", s.postmasterAddress());
        assertEquals(tmp, s.dataDir());
        assertTrue(s.pop3().enabled());
        assertFalse(s.imap().enabled());
        assertTrue(s.manageSieve().enabled());
        assertFalse(s.quotas().enabled());
        assertEquals(5000000L, s.quotas().defaultLimit());
        assertEquals(0L, s.smtp().messageSizeLimit());
        assertTrue(s.smtp().spoofProtection());
        assertEquals(List.of("10.0.0.0/8", "192.168.1.7/32", "172.16.0.0/12"), s.smtp().trustedNetworks());
        assertEquals(TlsSettings.Type.MANUAL, s.tls().type());
        assertEquals(cert, s.tls().certPath().orElseThrow());
        assertEquals(TlsSettings.Level.INTERMEDIATE, s.tls().level());
        assertFalse(s.spam().moveToJunk());
        assertTrue(s.spam().markAsRead());
        assertEquals("[SPAM] ", s.spam().subject(), "the tag keeps its trailing space (GEN-14)");
        assertTrue(s.srsEnabled());
        assertEquals("debug", s.logLevel());
        assertEquals(9999, s.management().port());
        assertEquals("abcdefghijklmnopqrstuvwxyz", s.management().token());
    }

    @Test
    void emptyEnvironmentValueMeansDefault() {
        Settings s = MailfleetConfig.load(null, env("ENABLE_IMAP", "", "POSTFIX_MESSAGE_SIZE_LIMIT", " ")).settings();
        assertTrue(s.imap().enabled());
        assertEquals(10240000L, s.smtp().messageSizeLimit());
    }

    @Test
    void portOffsetAppliesToEveryMailPort() {
        Settings s = MailfleetConfig.load(null, env("MAILFLEET_PORT_OFFSET", "10000")).settings();
        assertEquals(List.of(10025, 10465, 10587, 10143, 10993, 10110, 10995, 14190),
                List.of(s.smtp().port(), s.smtp().submissionsPort(), s.smtp().submissionPort(), s.imap().port(),
                        s.imap().tlsPort(), s.pop3().port(), s.pop3().tlsPort(), s.manageSieve().port()));
        assertEquals(8780, s.management().port(), "the management port is not a mail port");
    }

    @Test
    void portPushedOutOfRangeByTheOffsetNamesKeyAndOffset() {
        String m = error(null, env("MAILFLEET_PORT_OFFSET", "65000"));
        assertTrue(m.contains("mailfleet.smtp.submission-port") && m.contains("65587") && m.contains("65000"), m);
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFile() throws Exception {
        Path f = file("""
                mailfleet {
                  smtp.port = 2525
                  smtp.bare-newline = normalize
                  imap.port = 1143
                  cluster { host = "10.1.2.3", port = 25520, seed-nodes = ["10.1.2.3:25520", "10.1.2.4:25520"] }
                  log-level = warn
                }
                pekko.loglevel = "ERROR"
                """);
        LoadedConfig lc = MailfleetConfig.load(f, env("MAILFLEET_IMAP_PORT", "2143"));
        assertEquals(2525, lc.settings().smtp().port());
        assertEquals(SmtpSettings.BareNewline.NORMALIZE, lc.settings().smtp().bareNewline());
        assertEquals(2143, lc.settings().imap().port());
        assertEquals(f, lc.configFile().orElseThrow());
        Config c = lc.config();
        assertEquals(List.of("pekko://mailfleet@10.1.2.3:25520", "pekko://mailfleet@10.1.2.4:25520"),
                c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
        assertEquals("10.1.2.3", c.getString("pekko.management.http.hostname"));
        assertEquals("ERROR", c.getString("pekko.loglevel"), "an explicit pekko setting wins over the derived one");
        assertEquals(2525, c.getInt("mailfleet.smtp.port"));
    }

    @Test
    void configFileFromEnvironmentVariable() throws Exception {
        Path f = file("mailfleet.smtp.max-recipients = 50\n");
        assertEquals(50, MailfleetConfig.load(null, env("MAILFLEET_CONFIG", f.toString())).settings().smtp().maxRecipients());
    }

    @Test
    void seedNodesFromEnvironment() {
        LoadedConfig lc = MailfleetConfig.load(null, env("MAILFLEET_SEED_NODES", "a.example:7355,b.example:7356"));
        assertEquals(List.of("a.example:7355", "b.example:7356"), lc.settings().cluster().seedNodes());
        assertEquals(List.of("pekko://mailfleet@a.example:7355", "pekko://mailfleet@b.example:7356"),
                lc.config().getStringList("pekko.cluster.seed-nodes"));
    }

    @Test
    void dataDirAlsoSetsStorageDataDir() {
        LoadedConfig lc = MailfleetConfig.load(null, env("MAILFLEET_DATA", "/srv/mail"));
        assertEquals("/srv/mail", lc.config().getString("mailfleet.storage.data-dir"));
    }

    @Test
    void badValuesNameKeySourceValueAndWhatIsAllowed() throws Exception {
        String m = error(null, env("ENABLE_POP3", "maybe"));
        assertEquals("invalid value for mailfleet.pop3.enabled (from environment variable ENABLE_POP3): \"maybe\""
                + " — allowed: 1/0, true/false, yes/no or on/off", m);

        m = error(null, env("MAILFLEET_SMTP_PORT", "70000"));
        assertTrue(m.startsWith("invalid value for mailfleet.smtp.port (from environment variable MAILFLEET_SMTP_PORT): \"70000\""), m);
        assertTrue(m.contains("1..65535"), m);

        m = error(null, env("SSL_TYPE", "bogus"));
        assertTrue(m.contains("mailfleet.tls.type") && m.contains("SSL_TYPE") && m.contains("letsencrypt"), m);

        m = error(null, env("TLS_LEVEL", "old"));
        assertTrue(m.contains("modern, intermediate"), m);

        m = error(null, env("POSTFIX_MESSAGE_SIZE_LIMIT", "-5"));
        assertTrue(m.contains("mailfleet.smtp.message-size-limit") && m.contains("\"-5\""), m);

        m = error(null, env("TRUSTED_NETWORKS", "10.0.0.0/8,300.1.1.0/24"));
        assertTrue(m.contains("mailfleet.smtp.trusted-networks") && m.contains("300.1.1.0/24") && m.contains("CIDR"), m);

        m = error(null, env("TRUSTED_NETWORKS", "10.0.0.0/33"));
        assertTrue(m.contains("10.0.0.0/33"), m);

        m = error(null, env("PERMIT_DOCKER", "everything"));
        assertTrue(m.contains("PERMIT_DOCKER") && m.contains("connected-networks"), m);

        m = error(null, env("OVERRIDE_HOSTNAME", "not a host"));
        assertTrue(m.contains("mailfleet.hostname") && m.contains("OVERRIDE_HOSTNAME"), m);

        m = error(null, env("OVERRIDE_HOSTNAME", "single"));
        assertTrue(m.contains("fully qualified"), m);

        m = error(null, env("POSTMASTER_ADDRESS", "nobody"));
        assertTrue(m.contains("mailfleet.postmaster-address") && m.contains("nobody"), m);

        m = error(null, env("MAILFLEET_SEED_NODES", "host-without-port"));
        assertTrue(m.contains("mailfleet.cluster.seed-nodes") && m.contains("host:port"), m);

        m = error(null, env("SSL_TYPE", "manual"));
        assertTrue(m.contains("mailfleet.tls.cert-path") && m.contains("required"), m);

        m = error(null, env("SSL_CERT_PATH", tmp.resolve("missing.pem").toString()));
        assertTrue(m.contains("SSL_CERT_PATH") && m.contains("existing"), m);

        m = error(null, env("LOG_LEVEL", "verbose"));
        assertTrue(m.contains("error, warn, info, debug, trace"), m);

        m = error(null, env("MAILFLEET_PASSWORD_SCHEME", "md5"));
        assertTrue(m.contains("sha512-crypt, blf-crypt"), m);

        m = error(null, env("MAILFLEET_API_TOKEN", "short"));
        assertTrue(m.contains("mailfleet.management.token") && !m.contains("short\""), m);

        m = error(null, env("DMS_CONFIG_DIR", tmp.resolve("nope").toString()));
        assertTrue(m.contains("mailfleet.dms-config-dir"), m);
    }

    @Test
    void perUserIpSessionLimits() {
        Settings s = MailfleetConfig.load(null, env()).settings();
        assertEquals(10, s.imap().maxUserIpConnections());
        assertEquals(10, s.pop3().maxUserIpConnections());
        s = MailfleetConfig.load(null, env("MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS", "3",
                "MAILFLEET_POP3_MAX_USERIP_CONNECTIONS", "1")).settings();
        assertEquals(3, s.imap().maxUserIpConnections());
        assertEquals(1, s.pop3().maxUserIpConnections());
        String m = error(null, env("MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS", "0"));
        assertEquals("invalid value for mailfleet.imap.max-userip-connections (from environment variable"
                + " MAILFLEET_IMAP_MAX_USERIP_CONNECTIONS): \"0\" — allowed: a whole number 1..100000", m);
    }

    @Test
    void headerAndHeavyCommandLimits() throws Exception {
        LimitSettings l = MailfleetConfig.load(null, env()).settings().limits();
        assertEquals(new LimitSettings(102400, 998, 2, 4), l);
        l = MailfleetConfig.load(null, env("MAILFLEET_HEADER_SIZE_LIMIT", "65536", "MAILFLEET_HEADER_LINE_LIMIT", "500",
                "MAILFLEET_HEAVY_COMMANDS_PER_USER", "1", "MAILFLEET_HEAVY_COMMANDS_PER_NODE", "8")).settings().limits();
        assertEquals(new LimitSettings(65536, 500, 1, 8), l);
        l = MailfleetConfig.load(file("mailfleet.limits { header-size = 200000 }\n"), env()).settings().limits();
        assertEquals(200000, l.headerSize());
        assertEquals("invalid value for mailfleet.limits.header-line-length (from environment variable"
                + " MAILFLEET_HEADER_LINE_LIMIT): \"999\" — allowed: a whole number 78..998",
                error(null, env("MAILFLEET_HEADER_LINE_LIMIT", "999")));
        assertTrue(error(null, env("MAILFLEET_HEADER_SIZE_LIMIT", "100k")).contains("mailfleet.limits.header-size"));
        assertTrue(error(null, env("MAILFLEET_HEAVY_COMMANDS_PER_NODE", "0")).contains("heavy-commands-per-node"));
    }

    @Test
    void imapLoginCacheTtlAndUtf8AcceptFromEnvironmentAndFile() throws Exception {
        ImapSettings i = MailfleetConfig.load(null, env("MAILFLEET_IMAP_AUTH_CACHE_TTL", "0",
                "MAILFLEET_IMAP_UTF8_ACCEPT", "yes")).settings().imap();
        assertEquals(Duration.ZERO, i.authCacheTtl());
        assertTrue(i.utf8Accept());
        Path f = file("mailfleet.imap { auth-cache-ttl = 2m, utf8-accept = off }\n");
        i = MailfleetConfig.load(f, env()).settings().imap();
        assertEquals(Duration.ofMinutes(2), i.authCacheTtl());
        assertFalse(i.utf8Accept());

        assertEquals("invalid value for mailfleet.imap.auth-cache-ttl (from environment variable"
                + " MAILFLEET_IMAP_AUTH_CACHE_TTL): \"60\" — allowed: a duration from 0 (no cache) to 5m, such as 60s",
                error(null, env("MAILFLEET_IMAP_AUTH_CACHE_TTL", "60")));
        assertTrue(error(null, env("MAILFLEET_IMAP_AUTH_CACHE_TTL", "10m")).contains("\"10m\""));
        assertTrue(error(null, env("MAILFLEET_IMAP_AUTH_CACHE_TTL", "-1s")).contains("auth-cache-ttl"));
        assertTrue(error(null, env("MAILFLEET_IMAP_UTF8_ACCEPT", "perhaps")).contains("mailfleet.imap.utf8-accept"));
        assertTrue(error(file("mailfleet.imap.auth-cache-tl = 0\n"), env())
                .contains("did you mean mailfleet.imap.auth-cache-ttl?"));
    }

    @Test
    void badValueInFileNamesFileAndLine() throws Exception {
        Path f = file("mailfleet {\n  smtp {\n    idle-timeout = soon\n  }\n}\n");
        String m = error(f, env());
        assertEquals("invalid value for mailfleet.smtp.idle-timeout (from " + f + " line 3): \"soon\""
                + " — allowed: a positive duration such as 300s or 5m", m);

        f = file("mailfleet.smtp.recipient-delimiter = \"a\"\n");
        assertTrue(error(f, env()).contains("mailfleet.smtp.recipient-delimiter"));

        f = file("mailfleet.smtp.trusted-networks = [{a = 1}]\n");
        assertTrue(error(f, env()).contains("mailfleet.smtp.trusted-networks"));

        f = file("mailfleet.smtp.message-size-limit = 20M\n");
        assertEquals(20L * 1024 * 1024, MailfleetConfig.load(f, env()).settings().smtp().messageSizeLimit());
    }

    @Test
    void unknownKeyWithTypoSuggestsTheRightOne() throws Exception {
        Path f = file("mailfleet {\n  smtp {\n    prot = 2525\n  }\n}\n");
        String m = error(f, env());
        assertTrue(m.startsWith("unknown key mailfleet.smtp.prot — did you mean mailfleet.smtp.port?"), m);
        assertTrue(m.contains("line 3"), m);

        f = file("mailfleet.managment.port = 1\n");
        assertTrue(error(f, env()).startsWith("unknown key mailfleet.managment.port — did you mean mailfleet.management.port?"));
    }

    @Test
    void unknownKeyWithoutCloseMatchIsAnError() throws Exception {
        Path f = file("mailfleet.frobnicate = true\n");
        String m = error(f, env());
        assertTrue(m.startsWith("unknown key mailfleet.frobnicate — not a Mailfleet setting"), m);

        f = file("mailfleet.smtp = 25\n");
        assertTrue(error(f, env()).contains("mailfleet.smtp"));

        f = file("mailfleet = 1\n");
        assertTrue(error(f, env()).contains("section"));
    }

    @Test
    void keysOutsideMailfleetAreNotChecked() throws Exception {
        Path f = file("pekko.cluster.min-nr-of-members = 1\nsomething.else = 3\n");
        assertEquals(1, MailfleetConfig.load(f, env()).config().getInt("pekko.cluster.min-nr-of-members"));
    }

    @Test
    void malformedFileNamesFileAndLine() throws Exception {
        Path f = file("mailfleet {\n  smtp {\n    port = 25\n  \n  imap { port = }\n");
        String m = error(f, env());
        assertTrue(m.startsWith("malformed configuration file " + f + " line "), m);
    }

    @Test
    void missingFileIsAnError() {
        String m = error(tmp.resolve("absent.conf"), env());
        assertTrue(m.contains("absent.conf") && m.contains("does not exist"), m);
    }

    @Test
    void unresolvableSubstitutionIsAnError() throws Exception {
        Path f = file("mailfleet.data-dir = ${NOT_DEFINED_ANYWHERE_XYZ}\n");
        String m = error(f, env());
        assertTrue(m.contains("NOT_DEFINED_ANYWHERE_XYZ"), m);
    }

    @Test
    void levenshteinStopsAtLimit() {
        assertEquals(1, KeyChecker.levenshtein("mailfleet.smtp.prot", "mailfleet.smtp.port", 2) > 0 ? 1 : 0);
        assertEquals(2, KeyChecker.levenshtein("abcd", "acbd", 2));
        assertEquals(3, KeyChecker.levenshtein("abc", "xyzabc", 2));
    }

    @Test
    void apiTokenIsCreatedOnceWithOwnerOnlyPermissionsAndReused() throws Exception {
        Path data = tmp.resolve("data");
        ManagementSettings m = new ManagementSettings("127.0.0.1", 8780, "");
        ManagementSettings first = ApiTokenFile.resolve(m, data);
        assertTrue(first.token().length() >= 40);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("api-token"))));
        assertEquals(first.token(), ApiTokenFile.resolve(m, data).token());
        assertEquals(first.token(), ApiTokenFile.read(data).orElseThrow());
        ManagementSettings configured = m.withToken("configured-token-123456");
        assertEquals("configured-token-123456", ApiTokenFile.resolve(configured, data).token());
        assertNotEquals(first.token(), ApiTokenFile.loadOrCreate(tmp.resolve("other")));
    }

    @Test
    void baseUrlUsesLoopbackForWildcardBind() {
        assertEquals("http://127.0.0.1:8780", new ManagementSettings("0.0.0.0", 8780, "").baseUrl());
        assertEquals("http://[::1]:1", new ManagementSettings("::1", 1, "").baseUrl());
    }

    @Test
    void mailfleetDefaultsWinOverLibraryDefaultsWhateverTheClassPathOrder() {
        // on this class path pekko-remote's reference.conf comes before the cluster module's
        Config c = MailfleetConfig.load(null, Map.of()).config();
        assertEquals(4L * 1024 * 1024, c.getBytes("pekko.remote.artery.advanced.maximum-frame-size"),
                "Artery frame limit from the cluster module's reference.conf");
        assertEquals(4L * 1024 * 1024, c.getBytes("pekko.remote.artery.advanced.maximum-large-frame-size"));
        assertEquals("keep-majority", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
    }
}
