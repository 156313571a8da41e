package io.mailfleet.devtools;

import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the playground recognises its node processes from their pid files. */
class LocalClusterPidTest {

    @Test
    void aProcessWithACommandLineLongerThan4096BytesIsFoundAndAReusedPidIsNot() throws Exception {
        // a node's command line starts with the whole class path; the JDK shows only its first 4096 bytes
        Process p = new ProcessBuilder("sh", "-c", "sleep 60", "-cp", "/x/lib.jar:".repeat(1000),
                "io.mailfleet.cli.Main", "serve").start();
        String line;
        try {
            line = LocalCluster.pidFileLine(p.toHandle());
            assertEquals(Optional.of(p.pid()), LocalCluster.liveProcess(line).map(ProcessHandle::pid), line);

            long startMillis = Long.parseLong(line.trim().split(" ")[1]);
            assertTrue(LocalCluster.liveProcess(p.pid() + " " + (startMillis - 5000) + "\n").isEmpty(),
                    "the same pid started at another time is another process");
        } finally {
            p.destroyForcibly();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(LocalCluster.liveProcess(line).isEmpty(), "a process that exited is not running");
        assertTrue(LocalCluster.liveProcess("not a pid\n").isEmpty());
    }
}
