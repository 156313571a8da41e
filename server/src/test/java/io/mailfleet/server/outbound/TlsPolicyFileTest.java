package io.mailfleet.server.outbound;

import io.mailfleet.protocols.outbound.Route;
import io.mailfleet.protocols.outbound.TlsPolicy;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.config.OutboundConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** postfix-tls-policy.cf in the docker-mailserver config directory sets the TLS level per destination. */
class TlsPolicyFileTest {

    @TempDir
    Path dms;

    private OutboundConfig config(String level) {
        return MailfleetConfig.load(null, Map.of("OVERRIDE_HOSTNAME", "mail.example.com",
                "MAILFLEET_DATA", dms.resolve("data").toString(), "MAILFLEET_OUTBOUND_TLS_LEVEL", level,
                "DEFAULT_RELAY_HOST", "[relay.example]:587")).settings().outbound();
    }

    @Test
    void policyFileOverridesTheGlobalLevelAndIsReloaded() throws Exception {
        Path file = dms.resolve(RelayFiles.TLS_POLICY);
        Files.write(file, List.of("# per destination", "[relay.example]:587 secure match=relay.example"));
        RelayFiles files = new RelayFiles(config("verify"), Optional.of(dms));
        Route r = files.selector(Set.of()).route("a@example.com", "dest.test");
        assertEquals(TlsPolicy.SECURE, r.tlsPolicy());
        assertEquals(List.of("relay.example"), r.tlsMatch());

        Files.write(file, List.of("[relay.example]:587 encrypt"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        assertEquals(TlsPolicy.ENCRYPT, files.selector(Set.of()).route("a@example.com", "dest.test").tlsPolicy());

        // A file that turns bad after start-up is reported and the last good one kept.
        Files.write(file, List.of("[relay.example]:587 encrypted"));
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 10000));
        assertEquals(TlsPolicy.ENCRYPT, files.selector(Set.of()).route("a@example.com", "dest.test").tlsPolicy());

        Files.delete(file);
        assertEquals(TlsPolicy.VERIFY, files.selector(Set.of()).route("a@example.com", "dest.test").tlsPolicy());
    }

    @Test
    void aGarbageLineStopsStartUpNamingFileAndLine() throws Exception {
        Files.write(dms.resolve(RelayFiles.TLS_POLICY), List.of("example.com encrypt", "example.org sometimes"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RelayFiles(config("may"), Optional.of(dms)));
        assertTrue(e.getMessage().contains(dms.resolve(RelayFiles.TLS_POLICY) + " line 2")
                && e.getMessage().contains("sometimes"), e.getMessage());
    }
}
