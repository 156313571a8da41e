package io.mailfleet.server.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValueFactory;
import io.mailfleet.core.address.InvalidAddressException;
import io.mailfleet.core.address.MailAddress;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Loads Mailfleet's configuration: environment variables over an optional file over the jar
 * defaults; validates every value and derives the Pekko settings (remote, cluster, management).
 */
public final class MailfleetConfig {

    /** The ActorSystem name every node of a cluster must share. */
    public static final String SYSTEM_NAME = "mailfleet";

    /** Environment variable naming the configuration file. */
    public static final String CONFIG_ENV = "MAILFLEET_CONFIG";

    private static final String HOST_LABEL = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?";

    private MailfleetConfig() {
    }

    /**
     * Loads and validates the configuration.
     *
     * @param configFileOrNull the {@code --config} file; when null {@code MAILFLEET_CONFIG} is used if set
     * @param env              the process environment (tests pass their own map)
     * @throws ConfigError with a one-line message on any bad value, unknown key or malformed file
     */
    public static LoadedConfig load(Path configFileOrNull, Map<String, String> env) {
        Optional<Path> file = Optional.ofNullable(configFileOrNull)
                .or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of));
        Config fileCfg = file.map(MailfleetConfig::parseFile).orElse(ConfigFactory.empty());
        Map<String, String> envSources = new HashMap<>();
        Config envCfg = envLayer(env, envSources);
        Config reference = reference();
        new KeyChecker(reference).check(fileCfg);

        Config user = envCfg.withFallback(fileCfg);
        Config merged = resolve(user.withFallback(reference));
        List<String> warnings = new ArrayList<>();
        ValueReader reader = new ValueReader(merged, envSources);
        Settings settings = readSettings(reader, warnings);
        UnsupportedVariables.shipped().warning(env).ifPresent(warnings::add);
        SpfSettings.read(reader); // checked here so a bad value stops start-up with the key named
        ScannerSettings.read(reader);
        MilterSettings.read(reader);
        ClassifierSettings.read(reader);
        UrlDnsblSettings.read(reader);
        DnsblConfig.read(reader);
        QuotaWarningSettings.read(reader);
        AutoconfigSettings.read(reader);
        MtaStsServerSettings.read(reader);
        DkimVerifySettings.read(reader);
        DkimRotationSettings.read(reader);
        DmarcSettings.read(reader);
        DmarcReportSettings.read(reader);
        DmarcFailureReportSettings.read(reader);
        ArcSettings.read(reader);
        AuthDomainSettings.read(reader);
        OAuth2Settings.read(reader);
        MasterUserSettings.read(reader);
        LdapSettings.read(reader); // likewise
        WebSettings.read(reader);
        NoAccountWait.read(reader);
        FetchmailSettings.read(reader, settings.dmsConfigDir());
        GetmailSettings.read(reader, settings.dmsConfigDir());
        Config derived = derived(settings, user);
        Config finalConfig = resolve(derived.withFallback(user).withFallback(reference));
        return new LoadedConfig(finalConfig, settings, file, warnings);
    }

    /**
     * Whether the operator chose {@code key}: set in the configuration file, or its environment
     * variable present, even empty (an empty {@code SSL_TYPE} is docker-mailserver's "TLS off").
     */
    public static boolean chosen(Path configFileOrNull, Map<String, String> env, String key) {
        for (Map.Entry<String, String> m : EnvVars.mapping().entrySet()) {
            if (m.getValue().equals(key) && env.containsKey(m.getKey())) {
                return true;
            }
        }
        Optional<Path> file = Optional.ofNullable(configFileOrNull)
                .or(() -> Optional.ofNullable(env.get(CONFIG_ENV)).filter(s -> !s.isBlank()).map(Path::of));
        return file.map(MailfleetConfig::parseFile).map(c -> c.hasPath(key)).orElse(false);
    }

    /**
     * Every {@code reference.conf} on the class path with Mailfleet's own in front. Typesafe config
     * merges them in class-path order, and a library's jar can come before the Mailfleet module that
     * overrides one of its defaults (pekko-remote arrives with persistence, ahead of cluster): Artery
     * then kept its 256 KiB frame limit and dropped every larger reply between nodes, e.g. the
     * listing of a mailbox of a thousand messages. Ours are the files with a {@code mailfleet} section.
     */
    static Config reference() {
        ClassLoader loader = MailfleetConfig.class.getClassLoader();
        Config ours = ConfigFactory.empty();
        try {
            for (java.net.URL url : java.util.Collections.list(loader.getResources("reference.conf"))) {
                Config c = ConfigFactory.parseURL(url);
                if (c.hasPath("mailfleet")) {
                    ours = ours.withFallback(c);
                }
            }
        } catch (java.io.IOException e) {
            throw new ConfigError("cannot read the built-in reference.conf files: " + e.getMessage());
        }
        return ours.withFallback(ConfigFactory.defaultReferenceUnresolved(loader)).resolve();
    }

    private static Config parseFile(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new ConfigError("configuration file " + path + " does not exist or is not a regular file");
        }
        if (!Files.isReadable(path)) {
            throw new ConfigError("configuration file " + path + " is not readable");
        }
        String name = path.getFileName().toString();
        ConfigSyntax syntax = name.endsWith(".json") ? ConfigSyntax.JSON
                : name.endsWith(".properties") ? ConfigSyntax.PROPERTIES : ConfigSyntax.CONF;
        try {
            return ConfigFactory.parseFile(path.toFile(),
                    ConfigParseOptions.defaults().setAllowMissing(false).setSyntax(syntax));
        } catch (ConfigException e) {
            throw new ConfigError("malformed configuration file " + path + describe(e), e);
        }
    }

    /** " line N: reason" with the origin prefix the library adds stripped from the reason. */
    private static String describe(ConfigException e) {
        ConfigOrigin o = e.origin();
        String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (o != null && msg.startsWith(o.description() + ": ")) {
            msg = msg.substring(o.description().length() + 2);
        }
        msg = msg.replace('\n', ' ');
        return (o != null && o.lineNumber() > 0 ? " line " + o.lineNumber() : "") + ": " + msg;
    }

    private static Config resolve(Config c) {
        try {
            return c.resolve();
        } catch (ConfigException e) {
            ConfigOrigin o = e.origin();
            String where = o != null && o.filename() != null ? " in " + o.filename() : "";
            throw new ConfigError("cannot resolve the configuration" + where + describe(e), e);
        }
    }

    private static Config envLayer(Map<String, String> env, Map<String, String> envSources) {
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, String> m : EnvVars.mapping().entrySet()) {
            String value = env.get(m.getKey());
            if (value == null || value.isBlank()) {
                continue; // docker-mailserver semantics: empty means "the default"
            }
            String origin = "environment variable " + m.getKey();
            Object v = EnvVars.LIST_VARS.contains(m.getKey())
                    ? Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
                    // GEN-14: SPAM_SUBJECT keeps its trailing space ("[SPAM] "), every other value is trimmed
                    : m.getKey().equals("SPAM_SUBJECT") ? value : value.trim();
            c = c.withValue(m.getValue(), ConfigValueFactory.fromAnyRef(v, origin));
            envSources.put(m.getValue(), m.getKey());
        }
        return c;
    }

    private static Settings readSettings(ValueReader r, List<String> warnings) {
        String hostname = hostname(r);
        String domainName = domainName(hostname);
        String postmaster = r.string("mailfleet.postmaster-address");
        if (postmaster.isEmpty()) {
            postmaster = "postmaster@" + domainName;
        } else {
            try {
                postmaster = MailAddress.parse(postmaster).key();
            } catch (InvalidAddressException e) {
                throw r.invalid("mailfleet.postmaster-address", postmaster, "a mail address such as postmaster@example.com ("
                        + e.getMessage() + ")");
            }
        }
        String dataDirText = r.string("mailfleet.data-dir");
        if (dataDirText.isEmpty()) {
            throw r.invalid("mailfleet.data-dir", dataDirText, "a directory path");
        }
        // absolute from here on: every message that names a file in it must say where it really is
        Path dataDir = path(r, "mailfleet.data-dir", dataDirText).toAbsolutePath().normalize();
        String dms = r.string("mailfleet.dms-config-dir");
        Optional<Path> dmsDir = dms.isEmpty() ? Optional.empty() : Optional.of(path(r, "mailfleet.dms-config-dir", dms));
        if (dmsDir.isPresent() && !Files.isDirectory(dmsDir.get())) {
            throw r.invalid("mailfleet.dms-config-dir", dms, "an existing directory (docker-mailserver config volume)");
        }
        String bind = ipLiteral(r, "mailfleet.bind-address");
        int offset = (int) r.longIn("mailfleet.port-offset", 0, 65534, "a whole number 0..65534");

        SmtpSettings smtp = smtp(r, offset, warnings);
        ImapSettings imap = new ImapSettings(r.bool("mailfleet.imap.enabled"),
                r.port("mailfleet.imap.port", offset), r.port("mailfleet.imap.tls-port", offset),
                r.intIn("mailfleet.imap.max-userip-connections", 1, 100_000),
                r.durationIn("mailfleet.imap.auth-cache-ttl", Duration.ZERO, Duration.ofMinutes(5),
                        "a duration from 0 (no cache) to 5m, such as 60s"),
                r.bool("mailfleet.imap.utf8-accept"));
        Pop3Settings pop3 = new Pop3Settings(r.bool("mailfleet.pop3.enabled"),
                r.port("mailfleet.pop3.port", offset), r.port("mailfleet.pop3.tls-port", offset),
                r.intIn("mailfleet.pop3.max-userip-connections", 1, 100_000));
        ManageSieveSettings manageSieve = new ManageSieveSettings(r.bool("mailfleet.managesieve.enabled"),
                r.port("mailfleet.managesieve.port", offset));
        QuotaSettings quotas = new QuotaSettings(r.bool("mailfleet.quotas.enabled"), r.bytes("mailfleet.quotas.default-limit"));
        TlsSettings tls = TlsSettingsReader.read(r, hostname, dmsDir);
        // GEN-14: the subject tag keeps its trailing space ("[SPAM] ")
        SpamSettings spam = new SpamSettings(r.bool("mailfleet.spam.move-to-junk"), r.bool("mailfleet.spam.mark-as-read"),
                r.untrimmedString("mailfleet.spam.subject"));
        boolean srs = r.bool("mailfleet.srs.enabled");
        Map<String, String> schemes = new LinkedHashMap<>();
        schemes.put("sha512-crypt", "SHA512-CRYPT");
        schemes.put("blf-crypt", "BLF-CRYPT");
        String scheme = r.choice("mailfleet.passwords.scheme", schemes);
        ManagementSettings management = new ManagementSettings(ipLiteral(r, "mailfleet.management.bind"),
                r.port("mailfleet.management.port", 0), r.string("mailfleet.management.token"));
        String token = management.token();
        if (!token.isEmpty() && (token.length() < 16 || !token.matches("[\\x21-\\x7e]+"))) {
            throw r.invalid("mailfleet.management.token", "(hidden)",
                    "at least 16 printable characters without spaces, or \"\" to generate one");
        }
        ClusterSettings cluster = cluster(r, dataDir);
        Map<String, String> levels = new LinkedHashMap<>();
        for (String l : List.of("error", "warn", "info", "debug", "trace")) {
            levels.put(l, l);
        }
        String logLevel = r.choice("mailfleet.log-level", levels);
        ConnectionLimitSettings connections = ConnectionLimitSettings.read(r,
                io.mailfleet.protocols.netty.DescriptorBudget.maxDescriptors());
        connections.warning().ifPresent(warnings::add);
        BlobGcSettings blobGc;
        try {
            blobGc = BlobGcSettings.read(r.config());
        } catch (IllegalArgumentException e) {
            throw new ConfigError(e.getMessage());
        }
        return new Settings(hostname, domainName, postmaster, dataDir, dmsDir, bind, offset, smtp, imap, pop3, manageSieve,
                quotas, tls, spam, srs, scheme, management, cluster, logLevel, limits(r), sieve(r),
                Fail2banSettings.read(r), ProxyProtocolSettings.read(r), connections, LoginSettings.read(r), blobGc,
                OutboundConfig.read(r, dataDir, dmsDir, domainName, hostname),
                new SessionSettings(r.duration("mailfleet.sessions.refresh-interval"),
                        r.duration("mailfleet.sessions.ask-timeout")),
                r.intIn("mailfleet.queue.partitions", 1, 100_000),
                GreylistSettings.read(r, dmsDir), RateLimitSettings.read(r), PostscreenConfig.read(r),
                ListenAddresses.read(r, bind));
    }

    private static SieveSettings sieve(ValueReader r) {
        long bytes = r.bytes("mailfleet.managesieve.max-script-bytes");
        if (bytes < 1) {
            throw r.invalid("mailfleet.managesieve.max-script-bytes", Long.toString(bytes),
                    "a size of at least 1 byte, such as 1M");
        }
        return new SieveSettings(r.bool("mailfleet.sieve.enabled"),
                r.intIn("mailfleet.managesieve.max-scripts", 1, 100_000), bytes);
    }

    private static LimitSettings limits(ValueReader r) {
        return new LimitSettings(r.intIn("mailfleet.limits.header-size", 1024, 64 * 1024 * 1024),
                r.intIn("mailfleet.limits.header-line-length", 78, 998),
                r.intIn("mailfleet.limits.heavy-commands-per-user", 1, 1000),
                r.intIn("mailfleet.limits.heavy-commands-per-node", 1, 1000));
    }

    private static String hostname(ValueReader r) {
        String configured = r.string("mailfleet.hostname").toLowerCase(Locale.ROOT);
        if (configured.isEmpty()) {
            return localHostname();
        }
        if (configured.endsWith(".")) {
            configured = configured.substring(0, configured.length() - 1);
        }
        if (!isFqdn(configured)) {
            throw r.invalid("mailfleet.hostname", configured,
                    "a fully qualified host name such as mail.example.com (letters, digits, hyphens, at least two labels)");
        }
        return configured;
    }

    static boolean isFqdn(String name) {
        return name.length() <= 253 && name.matches(HOST_LABEL + "(\\." + HOST_LABEL + ")+");
    }

    private static String localHostname() {
        try {
            String h = InetAddress.getLocalHost().getCanonicalHostName().toLowerCase(Locale.ROOT);
            return h.matches(HOST_LABEL + "(\\." + HOST_LABEL + ")*") ? h : "localhost";
        } catch (Exception e) {
            return "localhost";
        }
    }

    static String domainName(String hostname) {
        String[] labels = hostname.split("\\.");
        return labels.length >= 3 ? hostname.substring(hostname.indexOf('.') + 1) : hostname;
    }

    static Path path(ValueReader r, String key, String text) {
        try {
            return Path.of(text);
        } catch (java.nio.file.InvalidPathException e) {
            throw r.invalid(key, text, "a valid file system path (" + e.getReason() + ")");
        }
    }

    private static String ipLiteral(ValueReader r, String key) {
        String s = r.string(key);
        Optional<String> cidr = Networks.parseCidr(s);
        if (s.contains("/") || cidr.isEmpty()) {
            throw r.invalid(key, s, "an IP address such as 0.0.0.0, 127.0.0.1 or ::");
        }
        return s;
    }

    private static SmtpSettings smtp(ValueReader r, int offset, List<String> warnings) {
        Map<String, SmtpSettings.BareNewline> bare = new LinkedHashMap<>();
        bare.put("reject", SmtpSettings.BareNewline.REJECT);
        bare.put("normalize", SmtpSettings.BareNewline.NORMALIZE);
        List<String> trusted = new ArrayList<>();
        List<String> explicit = r.stringList("mailfleet.smtp.trusted-networks");
        for (String n : explicit) {
            trusted.add(Networks.parseCidr(n).orElseThrow(() -> r.invalid("mailfleet.smtp.trusted-networks", n,
                    "IP networks in CIDR notation such as 192.168.0.0/16 or 2001:db8::/32, or single IP addresses")));
        }
        Map<String, String> modes = new LinkedHashMap<>();
        for (String m : List.of("none", "container", "host", "network", "connected-networks")) {
            modes.put(m, m);
        }
        String permit = r.choice("mailfleet.smtp.permit-docker", modes);
        List<String> fromDocker = Networks.permitDocker(permit);
        for (String n : fromDocker) {
            if (!trusted.contains(n)) {
                trusted.add(n);
            }
        }
        if (!fromDocker.isEmpty()) {
            warnings.add("PERMIT_DOCKER=" + permit + " lets " + String.join(", ", fromDocker)
                    + " relay mail without authentication");
        }
        String delimiter = r.string("mailfleet.smtp.recipient-delimiter");
        for (char c : delimiter.toCharArray()) {
            if (Character.isLetterOrDigit(c) || Character.isWhitespace(c) || c == '@' || c == '.' || c == '"') {
                throw r.invalid("mailfleet.smtp.recipient-delimiter", delimiter,
                        "\"\" or punctuation characters such as + or - (not letters, digits, spaces, @, . or \")");
            }
        }
        return new SmtpSettings(
                r.port("mailfleet.smtp.port", offset),
                r.port("mailfleet.smtp.submission-port", offset),
                r.port("mailfleet.smtp.submissions-port", offset),
                r.bytes("mailfleet.smtp.message-size-limit"),
                r.intIn("mailfleet.smtp.max-recipients", 1, 1_000_000),
                r.bool("mailfleet.smtp.smtputf8"),
                r.choice("mailfleet.smtp.bare-newline", bare),
                r.bool("mailfleet.smtp.spoof-protection"),
                trusted,
                delimiter,
                r.duration("mailfleet.smtp.idle-timeout"),
                r.intIn("mailfleet.smtp.hard-error-limit", 1, 1000),
                r.intIn("mailfleet.smtp.client-connection-limit", 0, 100_000),
                explicit.isEmpty());
    }

    /** An optional path that, when given, must name a readable file. */
    static Optional<Path> optionalFile(ValueReader r, String key) {
        String s = r.string(key);
        if (s.isEmpty()) {
            return Optional.empty();
        }
        Path p = path(r, key, s);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw r.invalid(key, s, "an existing, readable file");
        }
        return Optional.of(p);
    }

    private static ClusterSettings cluster(ValueReader r, Path dataDir) {
        String host = r.string("mailfleet.cluster.host");
        if (host.isEmpty() || !(Networks.parseCidr(host).isPresent() && !host.contains("/")
                || host.toLowerCase(Locale.ROOT).matches(HOST_LABEL + "(\\." + HOST_LABEL + ")*"))) {
            throw r.invalid("mailfleet.cluster.host", host, "a host name or IP address other nodes can reach");
        }
        int port = r.port("mailfleet.cluster.port", 0);
        List<String> seeds = new ArrayList<>();
        for (String s : r.stringList("mailfleet.cluster.seed-nodes")) {
            seeds.add(seed(r, s));
        }
        int mgmt = r.port("mailfleet.cluster.management-port", 0);
        String creds = r.string("mailfleet.cluster.credentials-dir");
        Path credsDir = creds.isEmpty() ? dataDir.resolve(ClusterSettings.DEFAULT_CREDENTIALS_DIR)
                : path(r, "mailfleet.cluster.credentials-dir", creds);
        Map<String, ClusterSettings.Discovery> discoveries = new LinkedHashMap<>();
        discoveries.put("static", ClusterSettings.Discovery.STATIC);
        discoveries.put("kubernetes", ClusterSettings.Discovery.KUBERNETES);
        ClusterSettings.Discovery discovery = r.choice("mailfleet.cluster.discovery", discoveries);
        if (discovery == ClusterSettings.Discovery.KUBERNETES && !seeds.isEmpty()) {
            throw r.invalid("mailfleet.cluster.discovery", "kubernetes",
                    "static, or kubernetes with mailfleet.cluster.seed-nodes empty (pods find each other)");
        }
        // read by ClusterTlsEngineProvider from the actor system's configuration; checked here to stop a bad value
        r.durationIn("mailfleet.cluster.refusal-report-interval", Duration.ofSeconds(1), Duration.ofDays(1),
                "a duration from 1s to 1d (e.g. 10s, 1m)");
        return new ClusterSettings(host, port, seeds, mgmt, credsDir.toAbsolutePath().normalize(), !creds.isEmpty(),
                discovery, r.duration("mailfleet.cluster.join-timeout"));
    }

    private static String seed(ValueReader r, String s) {
        String text = s.startsWith("pekko://") ? s.substring(s.indexOf('@') + 1) : s;
        int colon = text.lastIndexOf(':');
        String allowed = "host:port entries such as 10.0.0.1:7355 or node1.example.com:7355";
        if (colon <= 0 || colon == text.length() - 1) {
            throw r.invalid("mailfleet.cluster.seed-nodes", s, allowed);
        }
        String host = text.substring(0, colon);
        String port = text.substring(colon + 1);
        boolean hostOk = host.startsWith("[") && host.endsWith("]")
                ? Networks.parseCidr(host.substring(1, host.length() - 1)).isPresent()
                : host.toLowerCase(Locale.ROOT).matches(HOST_LABEL + "(\\." + HOST_LABEL + ")*");
        if (!hostOk || !port.matches("[0-9]{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
            throw r.invalid("mailfleet.cluster.seed-nodes", s, allowed);
        }
        return host + ":" + port;
    }

    /** Values other components read, computed from the Mailfleet settings unless the user set them. */
    private static Config derived(Settings s, Config user) {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("mailfleet.hostname", s.hostname());
        values.put("mailfleet.postmaster-address", s.postmasterAddress());
        putUnlessSet(values, user, "mailfleet.storage.data-dir", s.dataDir().toString());
        putUnlessSet(values, user, "pekko.actor.provider", "cluster");
        putUnlessSet(values, user, "pekko.remote.artery.canonical.hostname", s.cluster().host());
        putUnlessSet(values, user, "pekko.remote.artery.canonical.port", s.cluster().port());
        putUnlessSet(values, user, "pekko.cluster.seed-nodes", s.cluster().seedNodeAddresses());
        ClusterTransport.derive(s.cluster(), user).forEach(values::put);
        putUnlessSet(values, user, "pekko.management.http.hostname", s.cluster().host());
        putUnlessSet(values, user, "pekko.management.http.port", s.cluster().managementPort());
        putUnlessSet(values, user, "pekko.loglevel", switch (s.logLevel()) {
            case "error" -> "ERROR";
            case "warn" -> "WARNING";
            case "info" -> "INFO";
            default -> "DEBUG";
        });
        Config c = ConfigFactory.empty();
        for (Map.Entry<String, Object> e : values.entrySet()) {
            c = c.withValue(e.getKey(), ConfigValueFactory.fromAnyRef(e.getValue(), "derived from mailfleet settings"));
        }
        return c;
    }

    private static void putUnlessSet(Map<String, Object> values, Config user, String key, Object value) {
        if (!user.hasPathOrNull(key)) {
            values.put(key, value);
        }
    }
}
