package io.mailfleet.server.outbound;

import io.mailfleet.server.config.OutboundConfig;
import io.mailfleet.protocols.outbound.NextHop;
import io.mailfleet.protocols.outbound.RelaySelector;
import io.mailfleet.protocols.outbound.SaslCredentials;
import io.mailfleet.protocols.outbound.TlsPolicyMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The relay settings as docker-mailserver keeps them: the RELAY_* variables plus
 * {@code postfix-relaymap.cf} and {@code postfix-sasl-password.cf} of the config directory, re-read
 * when they change, and the outbound TLS policy: {@code mailfleet.outbound.tls.level} with the
 * per-destination table {@code postfix-tls-policy.cf} (Postfix {@code smtp_tls_policy_maps}) of the
 * same directory. A file that turns bad after start-up is logged and its last good content kept.
 */
public final class RelayFiles {
    private static final Logger LOG = LoggerFactory.getLogger(RelayFiles.class);
    public static final String RELAY_MAP = "postfix-relaymap.cf";
    public static final String SASL_PASSWORDS = "postfix-sasl-password.cf";
    public static final String TLS_POLICY = "postfix-tls-policy.cf";

    private final OutboundConfig config;
    private final Optional<Path> dmsDir;
    private Map<String, Optional<NextHop>> relayMap = Map.of();
    private Map<String, SaslCredentials> sasl = Map.of();
    private TlsPolicyMap tlsPolicies = TlsPolicyMap.empty();
    private List<FileTime> stamps;
    private Set<String> lastDomains;
    private RelaySelector current;

    /**
     * Where the relay files live: the docker-mailserver config directory, else {@code <data-dir>/config}
     * (so {@code mailfleet relay ...} works without a DMS directory too).
     */
    public static Path configDir(Optional<Path> dmsDir, Path dataDir) {
        return dmsDir.orElse(dataDir.resolve("config"));
    }

    /** Reads the files once; throws IllegalArgumentException naming the file and line when one is bad. */
    public RelayFiles(OutboundConfig config, Optional<Path> dmsDir) {
        this.config = config;
        this.dmsDir = dmsDir;
        reload(true);
        selector(Set.of());
    }

    /** The relay selection for the domains hosted now. */
    public synchronized RelaySelector selector(Set<String> localDomains) {
        List<FileTime> now = stamps();
        if (!now.equals(stamps)) {
            reload(false);
        }
        if (current == null || !Objects.equals(localDomains, lastDomains) || !now.equals(stamps)) {
            SaslCredentials env = config.relayUser().isEmpty() ? null
                    : new SaslCredentials(config.relayUser(), config.relayPassword());
            current = new RelaySelector(config.defaultRelayHost(), config.relayHost(), config.relayPort(), env,
                    relayMap, sasl, localDomains, config.tlsLevel(), tlsPolicies);
            lastDomains = Set.copyOf(localDomains);
        }
        stamps = now;
        return current;
    }

    private void reload(boolean strict) {
        try {
            Map<String, Optional<NextHop>> map = new HashMap<>();
            Map<String, SaslCredentials> creds = new HashMap<>();
            for (String line : lines(RELAY_MAP)) {
                Map.Entry<String, Optional<NextHop>> e = RelaySelector.parseRelayMapLine(line);
                if (e != null) {
                    map.put(e.getKey(), e.getValue());
                }
            }
            for (String line : lines(SASL_PASSWORDS)) {
                Map.Entry<String, SaslCredentials> e = RelaySelector.parseSaslPasswordLine(line);
                if (e != null) {
                    creds.put(e.getKey(), e.getValue());
                }
            }
            TlsPolicyMap tls = TlsPolicyMap.parse(dmsDir.map(d -> d.resolve(TLS_POLICY).toString()).orElse(TLS_POLICY),
                    lines(TLS_POLICY));
            relayMap = map;
            sasl = creds;
            if (tls.size() > 0) {
                LOG.info("outbound TLS policy: {} destinations from {}, others at level {}", tls.size(), TLS_POLICY,
                        config.tlsLevel().configName());
            }
            tlsPolicies = tls;
            current = null;
        } catch (IOException | IllegalArgumentException e) {
            if (strict) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            LOG.error("relay configuration not reloaded, the previous one stays in use: {}", e.getMessage());
        }
    }

    private List<String> lines(String name) throws IOException {
        if (dmsDir.isEmpty() || !Files.isRegularFile(dmsDir.get().resolve(name))) {
            return List.of();
        }
        return Files.readAllLines(dmsDir.get().resolve(name), StandardCharsets.UTF_8);
    }

    private List<FileTime> stamps() {
        return List.of(stamp(RELAY_MAP), stamp(SASL_PASSWORDS), stamp(TLS_POLICY));
    }

    private FileTime stamp(String name) {
        try {
            return dmsDir.isPresent() && Files.exists(dmsDir.get().resolve(name))
                    ? Files.getLastModifiedTime(dmsDir.get().resolve(name)) : FileTime.fromMillis(0);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
