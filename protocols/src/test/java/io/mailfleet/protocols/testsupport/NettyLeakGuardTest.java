package io.mailfleet.protocols.testsupport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guard sees a real leak at the level the build runs with, so a leak in any test fails the build. */
class NettyLeakGuardTest {

    @Test
    void buildRunsWithParanoidLeakDetection() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel(),
                "surefire must pass -Dio.netty.leakDetection.level=paranoid");
    }

    @Test
    void anUnreleasedBufferIsReportedAsALeak() throws Exception {
        NettyLeakGuard.collectLeaks(); // anything earlier is not this test's
        leakOne();
        List<String> leaks = List.of();
        for (int i = 0; i < 50 && leaks.isEmpty(); i++) {
            leaks = NettyLeakGuard.collectLeaks();
        }
        assertTrue(leaks.stream().anyMatch(l -> l.contains("LEAK: ByteBuf.release() was not called")),
                "no LEAK reported for a buffer dropped without release: " + leaks);
    }

    private static void leakOne() {
        ByteBuf dropped = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        dropped.writeLong(42); // never released: unreachable when this method returns
    }
}
