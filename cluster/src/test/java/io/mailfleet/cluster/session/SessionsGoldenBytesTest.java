package io.mailfleet.cluster.session;

import io.mailfleet.core.service.SessionInfo;
import io.mailfleet.persistence.serialization.GoldenBytes;
import io.mailfleet.persistence.serialization.KryoCodec;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

/**
 * Session messages never reach the journal, but they cross between nodes of different versions
 * during a rolling restart: the ones without actor references must keep their wire format. The
 * first run records {@code src/test/resources/golden/cluster/sessions-*}; later runs verify them.
 */
class SessionsGoldenBytesTest {

    private static void golden(KryoCodec codec, Object value, String name) {
        GoldenBytes.verify(codec, value, "golden/cluster/sessions-" + name + ".b64");
    }

    @Test
    void wireMessages() {
        KryoCodec codec = KryoCodec.fromDefaultConfig();
        SessionInfo info = new SessionInfo("0123456789abcdef", "u@example.com", "imap", "mailfleet@10.0.0.1:7355",
                "192.0.2.1", Instant.parse("2026-11-21T10:00:00Z"));
        golden(codec, info, "info");
        golden(codec, new SessionsEntity.Listing(List.of(info)), "listing");
        golden(codec, new NodeSessions.LocalListing(List.of(info)), "local-listing");
        golden(codec, new SessionsEntity.Admission(false, 10), "admission");
        golden(codec, new SessionsEntity.Unregister("0123456789abcdef"), "unregister");
        golden(codec, new SessionsEntity.Kicked(3), "kicked");
        golden(codec, new SessionHolder.KickSession(), "kick-session");
    }
}
