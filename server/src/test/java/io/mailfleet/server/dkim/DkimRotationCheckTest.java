package io.mailfleet.server.dkim;

import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimRotation;
import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.protocols.outbound.TestDnsServer;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.DkimRotationSettings;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.dns.DnsCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The automatic DKIM rotation steps on a real key directory, against the test DNS server through the
 * node's resolver, with a clock the test moves: a pending key switches only when it is old enough AND
 * DNS answers its record, the replaced key is retired after {@code retire-after}, a second node sharing
 * the directory never repeats a step, and the settings refuse bad values.
 */
class DkimRotationCheckTest {

    @TempDir
    Path dir;

    private TestDnsServer dns;
    private AsyncDnsResolver resolver;
    private final MovableClock clock = new MovableClock(Instant.now());

    @BeforeEach
    void start() throws Exception {
        dns = new TestDnsServer();
        resolver = new AsyncDnsResolver(dns.settings(Duration.ofSeconds(2)).resolverSettings());
    }

    @AfterEach
    void stop() throws Exception {
        dns.close();
    }

    private DkimRotationCheck check(Duration switchAfter, Duration retireAfter) {
        return new DkimRotationCheck(dir, new DkimRotationSettings(switchAfter, retireAfter, Duration.ofSeconds(1)),
                new DnsCheck(resolver), clock);
    }

    /** A domain signed by {@code old} with a rotation to {@code next} started at {@code startedAt}; its record. */
    private String rotation(String domain, String old, String next, Instant startedAt) throws Exception {
        DkimKeys.writeOpenDkim(dir, domain, old, DkimKeys.generateRsa(1024));
        String zone = DkimRotation.start(dir, domain, next, DkimKeys.generateRsa(1024));
        Files.writeString(dir.resolve("keys").resolve(domain).resolve(next + ".pending"), "rotation started " + startedAt + "\n");
        return DkimKeys.recordFromZoneFileText(zone);
    }

    private Optional<String> signing(String domain) throws Exception {
        return DkimRotation.signingSelector(dir, domain);
    }

    private static List<String> actions(List<DkimRotationCheck.Step> steps) {
        return steps.stream().map(s -> s.action() + " " + s.domain() + " " + s.selector()).toList();
    }

    @Test
    void switchesOnlyWhenOldEnoughAndPublishedThenRetiresTheOldKey() throws Exception {
        Instant t0 = clock.instant();
        String recordA = rotation("a.example", "old", "new", t0);
        String recordB = rotation("b.example", "old", "next", t0.plus(Duration.ofHours(10)));
        // c's name answers another value than its record: it never switches
        rotation("c.example", "old", "new", t0);
        dns.txt("new._domainkey.c.example", "v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDwrong");
        DkimRotationCheck check = check(Duration.ofHours(48), Duration.ofDays(7));

        // b's record is in DNS from the start, but neither rotation is old enough
        dns.txt("next._domainkey.b.example", recordB);
        clock.set(t0.plus(Duration.ofHours(1)));
        assertEquals(List.of(), check.run());
        // a is due but DNS does not answer its record; b answers but is not due
        clock.set(t0.plus(Duration.ofHours(49)));
        assertEquals(List.of(), check.run());
        assertEquals(Optional.of("old"), signing("a.example"));
        assertEquals(Optional.of("old"), signing("b.example"));
        assertTrue(DkimRotation.isPending(dir, "a.example", "new"));
        assertTrue(DkimRotation.isPending(dir, "b.example", "next"));

        dns.txt("new._domainkey.a.example", recordA);
        Instant switchedA = clock.instant();
        assertEquals(List.of("switched a.example new"), actions(check.run()));
        assertEquals(Optional.of("new"), signing("a.example"));
        assertFalse(DkimRotation.isPending(dir, "a.example", "new"));
        assertEquals(List.of(new DkimRotation.Superseded("a.example", "old", "new", switchedA)),
                DkimRotation.superseded(dir, "a.example"));
        assertEquals(Optional.of("old"), signing("b.example"), "b is not due yet");
        assertEquals(List.of(), check.run(), "a second pass finds nothing to do");

        clock.set(t0.plus(Duration.ofHours(59)));
        assertEquals(List.of("switched b.example next"), actions(check.run()));
        assertEquals(Optional.of("next"), signing("b.example"));

        // a's old key stays until 7 days after a's switch, then goes; b's stays (switched later)
        clock.set(switchedA.plus(Duration.ofDays(7)).minusSeconds(60));
        assertEquals(List.of(), check.run());
        assertTrue(Files.exists(dir.resolve("keys/a.example/old.private")));
        clock.set(switchedA.plus(Duration.ofDays(7)).plusSeconds(60));
        assertEquals(List.of("retired a.example old"), actions(check.run()));
        assertFalse(Files.exists(dir.resolve("keys/a.example/old.private")));
        assertFalse(Files.exists(dir.resolve("keys/a.example/old.txt")));
        assertFalse(Files.readString(dir.resolve("KeyTable")).contains("old._domainkey.a.example"));
        assertEquals(List.of(), DkimRotation.superseded(dir, "a.example"));
        assertTrue(Files.exists(dir.resolve("keys/b.example/old.private")), "b's old key waits for its own 7 days");
        assertEquals(Optional.of("new"), signing("a.example"));
        assertEquals(Optional.of("old"), signing("c.example"));
        assertTrue(DkimRotation.isPending(dir, "c.example", "new"));
    }

    @Test
    void offSwitchesAndRetiresNothing() throws Exception {
        Instant t0 = clock.instant();
        dns.txt("new._domainkey.a.example", rotation("a.example", "old", "new", t0));
        clock.set(t0.plus(Duration.ofDays(400)));
        assertEquals(List.of(), check(Duration.ZERO, Duration.ZERO).run());
        assertTrue(DkimRotation.isPending(dir, "a.example", "new"));
        // switched by command: with retire-after off the old key is never retired automatically
        DkimRotation.confirm(dir, "a.example", "new", t0);
        assertEquals(List.of(), check(Duration.ZERO, Duration.ZERO).run());
        assertTrue(Files.exists(dir.resolve("keys/a.example/old.private")));
        // a replaced key put back into SigningTable by hand is kept, not retired, once retiring is on
        Files.writeString(dir.resolve("SigningTable"), "*@a.example old._domainkey.a.example\n");
        assertEquals(Optional.of("old"), signing("a.example"));
        assertEquals(1, DkimRotation.superseded(dir, "a.example").size());
        assertEquals(List.of(), check(Duration.ofHours(1), Duration.ofDays(1)).run());
        assertTrue(Files.exists(dir.resolve("keys/a.example/old.private")));
        assertEquals(List.of(), DkimRotation.superseded(dir, "a.example"), "no retirement is due any more");
    }

    @Test
    void aKeyFileAnotherKeyTableEntrySignsWithIsNotRetired() throws Exception {
        Instant t0 = clock.instant();
        rotation("a.example", "old", "new", t0);
        DkimRotation.confirm(dir, "a.example", "new", t0);
        Files.writeString(dir.resolve("KeyTable"), "old._domainkey.sub.a.example sub.a.example:old:"
                + "/etc/opendkim/keys/a.example/old.private\n", java.nio.file.StandardOpenOption.APPEND);
        clock.set(t0.plus(Duration.ofDays(8)));
        assertEquals(List.of(), check(Duration.ofHours(48), Duration.ofDays(7)).run());
        assertTrue(Files.exists(dir.resolve("keys/a.example/old.private")));
        assertEquals(1, DkimRotation.superseded(dir, "a.example").size(), "still waiting: retire by command when ready");
    }

    @Test
    void twoNodesSharingTheDirectorySwitchOnce() throws Exception {
        Instant t0 = clock.instant();
        dns.txt("new._domainkey.a.example", rotation("a.example", "old", "new", t0));
        clock.set(t0.plus(Duration.ofHours(49)));
        DkimRotationCheck one = check(Duration.ofHours(48), Duration.ofDays(7));
        DkimRotationCheck two = check(Duration.ofHours(48), Duration.ofDays(7));
        for (int round = 0; round < 3; round++) {
            CompletableFuture<List<DkimRotationCheck.Step>> a = CompletableFuture.supplyAsync(() -> run(one));
            CompletableFuture<List<DkimRotationCheck.Step>> b = CompletableFuture.supplyAsync(() -> run(two));
            List<String> all = new ArrayList<>(actions(a.join()));
            all.addAll(actions(b.join()));
            assertEquals(round == 0 ? List.of("switched a.example new") : List.of(), all, "round " + round);
        }
        assertEquals(Optional.of("new"), signing("a.example"));
        assertEquals(1, DkimRotation.superseded(dir, "a.example").size());
    }

    private static List<DkimRotationCheck.Step> run(DkimRotationCheck c) {
        try {
            return c.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void settingsDefaultsEnvironmentAndBadValues() {
        DkimRotationSettings d = settings();
        assertEquals(Duration.ofHours(48), d.switchAfter());
        assertEquals(Duration.ofDays(7), d.retireAfter());
        assertEquals(Duration.ofMinutes(10), d.checkInterval());
        DkimRotationSettings off = settings("MAILFLEET_DKIM_ROTATION_SWITCH_AFTER", "off",
                "MAILFLEET_DKIM_ROTATION_RETIRE_AFTER", "0", "MAILFLEET_DKIM_ROTATION_CHECK_INTERVAL", "30s");
        assertFalse(off.switches());
        assertFalse(off.retires());
        assertEquals(Duration.ofSeconds(30), off.checkInterval());
        assertEquals("7d", DkimRotationSettings.text(Duration.ofDays(7)));
        assertEquals("48h", DkimRotationSettings.text(Duration.ofHours(48)));
        assertEquals("2s", DkimRotationSettings.text(Duration.ofSeconds(2)));
        String e = assertThrows(ConfigError.class, () -> settings("MAILFLEET_DKIM_ROTATION_SWITCH_AFTER", "soon")).getMessage();
        assertTrue(e.contains("mailfleet.dkim.rotation.switch-after") && e.contains("MAILFLEET_DKIM_ROTATION_SWITCH_AFTER"), e);
        e = assertThrows(ConfigError.class, () -> settings("MAILFLEET_DKIM_ROTATION_RETIRE_AFTER", "7")).getMessage();
        assertTrue(e.contains("mailfleet.dkim.rotation.retire-after"), e);
        e = assertThrows(ConfigError.class, () -> settings("MAILFLEET_DKIM_ROTATION_CHECK_INTERVAL", "0")).getMessage();
        assertTrue(e.contains("mailfleet.dkim.rotation.check-interval"), e);
    }

    private static DkimRotationSettings settings(String... kv) {
        Map<String, String> env = new HashMap<>();
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        for (int i = 0; i < kv.length; i += 2) {
            env.put(kv[i], kv[i + 1]);
        }
        return DkimRotationSettings.of(MailfleetConfig.load(null, env));
    }

    /** A clock the test sets. */
    private static final class MovableClock extends Clock {
        private volatile Instant now;

        MovableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
