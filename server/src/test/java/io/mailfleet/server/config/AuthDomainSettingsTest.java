package io.mailfleet.server.config;

import io.mailfleet.protocols.smtp.auth.DmarcPolicy;
import io.mailfleet.protocols.smtp.spf.SpfPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.auth.domains}: read once into typed per-domain settings; garbage stops start-up naming the key. */
class AuthDomainSettingsTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String conf) throws Exception {
        Path file = dir.resolve("mailfleet.conf");
        Files.writeString(file, conf);
        return MailfleetConfig.load(file, Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_DATA", dir.resolve("data").toString()));
    }

    @Test
    void noDomainsByDefault() throws Exception {
        assertEquals(Map.of(), AuthDomainSettings.of(load("")).domains());
    }

    @Test
    void domainsGetTheirOwnSettings() throws Exception {
        AuthDomainSettings s = AuthDomainSettings.of(load("""
                mailfleet.auth.domains {
                  "Example.org" { spf-action = tag, dmarc-failure-action = tag }
                  "lists.example.net" { arc-trusted-sealers = "Forwarder.example.com, lists.example.org" }
                  "strict.example" { dmarc-failure-action = quarantine, arc-trusted-sealers = [] }
                }
                """));
        assertEquals(Map.of(
                "example.org", new AuthDomainSettings.DomainAuth(SpfPolicy.FailAction.TAG, DmarcPolicy.Action.TAG, null),
                "lists.example.net", new AuthDomainSettings.DomainAuth(null, null,
                        List.of("forwarder.example.com", "lists.example.org")),
                "strict.example", new AuthDomainSettings.DomainAuth(null, DmarcPolicy.Action.QUARANTINE, List.of())),
                s.domains());
        assertEquals(Map.of("example.org", SpfPolicy.FailAction.TAG), s.spfActions());
        assertEquals(Map.of("example.org", DmarcPolicy.Action.TAG, "strict.example", DmarcPolicy.Action.QUARANTINE),
                s.dmarcActions());
        assertEquals(Map.of("lists.example.net", List.of("forwarder.example.com", "lists.example.org"),
                "strict.example", List.of()), s.trustedSealers());
    }

    @Test
    void garbageStopsStartUpNamingTheKey() {
        ConfigError spf = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"example.org\" { spf-action = maybe } }"));
        assertTrue(spf.getMessage().contains("mailfleet.auth.domains.\"example.org\".spf-action"), spf.getMessage());
        assertTrue(spf.getMessage().contains("reject, tag"), spf.getMessage());
        ConfigError dmarc = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"example.org\" { dmarc-failure-action = drop } }"));
        assertTrue(dmarc.getMessage().contains("mailfleet.auth.domains.\"example.org\".dmarc-failure-action"),
                dmarc.getMessage());
        ConfigError sealer = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"example.org\" { arc-trusted-sealers = [\"not a domain\"] } }"));
        assertTrue(sealer.getMessage().contains("mailfleet.auth.domains.\"example.org\".arc-trusted-sealers"),
                sealer.getMessage());
        ConfigError unknown = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"example.org\" { spf-acton = tag } }"));
        assertTrue(unknown.getMessage().contains("mailfleet.auth.domains.\"example.org\".spf-acton"),
                unknown.getMessage());
        ConfigError domain = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"not a domain\" { spf-action = tag } }"));
        assertTrue(domain.getMessage().contains("mailfleet.auth.domains.\"not a domain\""), domain.getMessage());
        ConfigError scalar = assertThrows(ConfigError.class,
                () -> load("mailfleet.auth.domains { \"example.org\" = tag }"));
        assertTrue(scalar.getMessage().contains("mailfleet.auth.domains.\"example.org\""), scalar.getMessage());
    }
}
