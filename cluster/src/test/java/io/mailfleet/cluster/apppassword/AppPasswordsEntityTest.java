package io.mailfleet.cluster.apppassword;

import com.typesafe.config.Config;
import io.mailfleet.cluster.testkit.TestNodes;
import io.mailfleet.core.auth.AppPassword;
import io.mailfleet.core.service.AppPasswordStore;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link AppPasswordsEntity} on Pekko's persistence test kit (commands, replies and events through Kryo):
 * add, duplicate names, the per-account bound, revoke, revoke all, recovery; {@link AppPassword#allows};
 * golden bytes of what is stored.
 */
class AppPasswordsEntityTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path data;

    private ActorTestKit kit;
    private EventSourcedBehaviorTestKit<AppPasswordsEntity.Command, AppPasswordsEntity.Event, AppPasswordsEntity.State> es;

    @BeforeEach
    void start() {
        Config config = EventSourcedBehaviorTestKit.config().withFallback(TestNodes.config(data));
        kit = ActorTestKit.create("mailfleet", config);
        es = EventSourcedBehaviorTestKit.create(kit.system(), AppPasswordsEntity.create("alice@example.com"),
                EventSourcedBehaviorTestKit.enabledSerializationSettings());
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    private static AppPassword pw(String name) {
        return new AppPassword(name, "{SHA512-CRYPT}$6$x$y", List.of("imap"), null, List.of(), AT);
    }

    private int add(AppPassword p) {
        return es.<AppPasswordsEntity.Done>runCommand(r -> new AppPasswordsEntity.AddPassword(p, r)).reply().changed();
    }

    @Test
    void addRevokeAndRecover() {
        assertEquals(1, add(pw("phone")));
        assertEquals(0, add(pw("phone")), "a name is unique per account");
        for (int i = 1; i < AppPasswordStore.MAX_PER_ACCOUNT; i++) {
            assertEquals(1, add(pw("p" + i)));
        }
        assertEquals(0, add(pw("one-too-many")));
        assertEquals(1, es.<AppPasswordsEntity.Done>runCommand(r -> new AppPasswordsEntity.RevokePassword("phone", r))
                .reply().changed());
        assertEquals(0, es.<AppPasswordsEntity.Done>runCommand(r -> new AppPasswordsEntity.RevokePassword("phone", r))
                .reply().changed());
        es.restart();
        assertEquals(AppPasswordStore.MAX_PER_ACCOUNT - 1, es.getState().passwords().size());
        assertEquals(AppPasswordStore.MAX_PER_ACCOUNT - 1,
                es.<AppPasswordsEntity.Done>runCommand(AppPasswordsEntity.RevokeAll::new).reply().changed());
        assertTrue(es.<AppPasswordsEntity.Passwords>runCommand(AppPasswordsEntity.ListPasswords::new).reply()
                .passwords().isEmpty());
    }

    @Test
    void scopeExpiryAndNetworksDecideWhereOneMayBeTried() throws Exception {
        InetAddress office = InetAddress.getByName("198.51.100.7");
        InetAddress elsewhere = InetAddress.getByName("203.0.113.9");
        AppPassword p = new AppPassword("office", "h", List.of("imap", "sieve"), AT.plusSeconds(60),
                List.of("198.51.100.0/24", "2001:db8::/32"), AT);
        assertTrue(p.allows("imap", office, AT));
        assertTrue(p.allows("managesieve", office, AT), "ManageSieve is the sieve scope");
        assertFalse(p.allows("pop3", office, AT), "out of scope");
        assertFalse(p.allows("self-service", office, AT), "never for self-service");
        assertFalse(p.allows("imap", elsewhere, AT), "outside its networks");
        assertTrue(p.allows("imap", InetAddress.getByName("2001:db8::5"), AT));
        assertFalse(p.allows("imap", office, AT.plusSeconds(60)), "expired");
        assertTrue(pw("any").allows("imap", elsewhere, AT.plusSeconds(86_400 * 365L)), "no expiry, any network");
    }

    @Test
    void storedFormsKeepLoading() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        AppPassword full = new AppPassword("office", "{SHA512-CRYPT}$6$salt$hash", List.of("imap", "smtp"),
                AT.plusSeconds(3600), List.of("198.51.100.0/24"), AT);
        GoldenBytes.verify(codec, new AppPasswordsEntity.Added(full), "golden/cluster/app-passwords-added.b64");
        GoldenBytes.verify(codec, new AppPasswordsEntity.Added(pw("phone")),
                "golden/cluster/app-passwords-added-no-expiry.b64");
        GoldenBytes.verify(codec, new AppPasswordsEntity.Revoked(List.of("phone", "office")),
                "golden/cluster/app-passwords-revoked.b64");
        GoldenBytes.verify(codec, new AppPasswordsEntity.State(List.of(full, pw("phone"))),
                "golden/cluster/app-passwords-state.b64");
    }
}
