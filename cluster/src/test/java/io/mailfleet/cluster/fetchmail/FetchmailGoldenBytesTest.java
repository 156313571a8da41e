package io.mailfleet.cluster.fetchmail;

import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

/**
 * fetchmail events and snapshots as stored today must load in every later version. The first run
 * records {@code src/test/resources/golden/cluster/fetchmail-*}; later runs verify them.
 */
class FetchmailGoldenBytesTest {

    private static final long AT = 1_795_000_000_000L;

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/fetchmail-" + name + ".b64");
    }

    @Test
    void eventsAndSnapshot() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        golden(codec, new FetchmailEntity.Fetched("1234567:42"), "fetched");
        golden(codec, new FetchmailEntity.PollSucceeded(AT, 2, List.of("UID1", "UID2")), "poll-succeeded");
        golden(codec, new FetchmailEntity.PollFailed(AT, 0, "login refused by pop.example: -ERR auth"), "poll-failed");
        golden(codec, new FetchmailState(Set.of("UID1", "UID2"), AT, AT - 300_000, 17, 2,
                "cannot connect to pop.example:995: Connection refused", 3), "state");
        golden(codec, FetchmailState.empty(), "state-empty");
    }
}
