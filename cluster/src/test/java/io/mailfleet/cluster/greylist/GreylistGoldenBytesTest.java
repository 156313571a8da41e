package io.mailfleet.cluster.greylist;

import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.util.Map;

/**
 * Greylist events and snapshots as stored today must load in every later version. The first run
 * records {@code src/test/resources/golden/cluster/greylist-*}; later runs verify them.
 */
class GreylistGoldenBytesTest {

    private static final long AT = 1_795_000_000_000L;

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/greylist-" + name + ".b64");
    }

    @Test
    void eventsAndSnapshot() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        TripletRecord waiting = new TripletRecord(AT, AT + 1000, false);
        TripletRecord passed = new TripletRecord(AT - 400_000, AT, true);
        golden(codec, new GreylistEntity.Recorded(Map.of("news@sender.example alice@example.com", passed,
                "<> bob@example.com", waiting), new ClientRecord(1, AT), AT - 35L * 86_400_000), "recorded");
        golden(codec, new GreylistEntity.Recorded(Map.of("a@b.example c@d.example", waiting), null, AT - 1),
                "recorded-without-client");
        golden(codec, new GreylistState(Map.of("news@sender.example alice@example.com", passed),
                new ClientRecord(3, AT)), "state");
    }
}
