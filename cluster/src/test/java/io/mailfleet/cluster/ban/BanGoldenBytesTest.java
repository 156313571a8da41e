package io.mailfleet.cluster.ban;

import io.mailfleet.core.ban.Ban;
import io.mailfleet.core.ban.FailureWindow;
import io.mailfleet.core.ban.Jail;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Ban-list events and snapshots as stored today must load in every later version. The first run
 * records {@code src/test/resources/golden/cluster/ban-*}; later runs verify them.
 */
class BanGoldenBytesTest {

    private static final Instant AT = Instant.parse("2026-11-21T10:00:00Z");

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/ban-" + name + ".b64");
    }

    @Test
    void eventsAndSnapshot() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        Ban auto = new Ban("192.0.2.10", Jail.DOVECOT, AT, AT.plusSeconds(604800), "authentication failure");
        Ban manual = new Ban("2001:db8::/48", Jail.CUSTOM, AT, AT.plusSeconds(15552000), "manual");
        golden(codec, new BanListEntity.FailureRecorded("192.0.2.11", Jail.POSTFIX_SASL, AT.toEpochMilli(),
                "authentication failure"), "failure-recorded");
        golden(codec, new BanListEntity.Banned(auto), "banned");
        golden(codec, new BanListEntity.Unbanned("192.0.2.10", AT.toEpochMilli()), "unbanned");
        golden(codec, new BanListState(
                Map.of("192.0.2.11 postfix-sasl", new FailureWindow(List.of(AT.toEpochMilli(), AT.toEpochMilli() + 5))),
                Map.of("192.0.2.10 dovecot", auto)), "state");
        golden(codec, new BucketBans("2001:db8::/64", 7, List.of(manual)), "bucket-bans");
    }
}
