package io.mailfleet.bench;

import org.junit.jupiter.api.Test;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ServerHeapTest {

    /** jcmd is run against this test JVM, a real other process's view of it. */
    @Test
    void readsHeapOfARunningJvmThroughJcmd() throws Exception {
        ServerHeap heap = new ServerHeap(ProcessHandle.current().pid());
        long used = heap.usedAfterGc();
        assertTrue(used > 0 && used <= heap.maxHeap(), "used " + used);
        long xmx = Long.parseLong(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                .getVMOption("MaxHeapSize").getValue());
        assertEquals(xmx, heap.maxHeap());
    }

    @Test
    void sumsGenerationsAndSkipsMetaspace() throws Exception {
        String serial = """
                1234:
                 def new generation   total 9792K, used 1000K [0x00000000e0000000, 0x00000000e0aa0000)
                 tenured generation   total 21888K, used 2000K [0x00000000eaaa0000, 0x00000000ec000000)
                 Metaspace       used 50000K, committed 50496K, reserved 1114112K
                  class space    used 6000K, committed 6208K, reserved 1048576K
                """;
        assertEquals(3000L * 1024, ServerHeap.usedBytes(serial));
    }

    @Test
    void missingUsageIsAnError() {
        IOException e = assertThrows(IOException.class, () -> ServerHeap.usedBytes("1234:\nno such thing\n"));
        assertTrue(e.getMessage().contains("no heap usage"), e.getMessage());
    }

    @Test
    void aPidThatIsNoJvmIsReportedWithIt() {
        IOException e = assertThrows(IOException.class, () -> new ServerHeap(Integer.MAX_VALUE - 7).usedAfterGc());
        assertTrue(e.getMessage().contains(Integer.toString(Integer.MAX_VALUE - 7)), e.getMessage());
    }
}
