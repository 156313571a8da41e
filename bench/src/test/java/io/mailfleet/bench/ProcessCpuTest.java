package io.mailfleet.bench;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProcessCpuTest {

    @Test
    void aBusyCompilerMarksTheFigureAsNotTheSteadyState() {
        // 3 s of compiling in 10 s of process CPU
        ProcessCpu cpu = new ProcessCpu(10_000_000_000L, 1.0, 3_000);
        assertEquals(0.3, cpu.jitShare(), 1e-9);
        String line = cpu.jitReport("--warmup");
        assertTrue(line.startsWith("3.0 s compiling (about 30 % of the process CPU)"), line);
        assertTrue(line.contains("NOT the steady state") && line.endsWith("(--warmup)"), line);
    }

    @Test
    void aQuietCompilerMeansWarmedUp() {
        ProcessCpu cpu = new ProcessCpu(10_000_000_000L, 1.0, 200);
        assertEquals("0.2 s compiling (about 2 % of the process CPU); warmed up", cpu.jitReport("--warmup"));
    }

    @Test
    void unknownTimesGiveNoLine() {
        assertNull(new ProcessCpu(-1, 1.0, 100).jitReport("--warmup"));
        assertNull(new ProcessCpu(10, 1.0, -1).jitReport("--warmup"));
        assertEquals(-1, new ProcessCpu(-1, 1.0, 100).millisPer(5));
    }

    @Test
    void aMarkMeasuresTheTimeSinceIt() {
        ProcessCpu.Mark start = ProcessCpu.mark();
        long spin = System.nanoTime() + 50_000_000L;
        long x = 0;
        while (System.nanoTime() < spin) {
            x++;
        }
        ProcessCpu since = ProcessCpu.since(start);
        assertTrue(x > 0);
        // the platform of the build tells both; the 50 ms of spinning are CPU time of this process
        assertTrue(since.cpuNanos() >= 40_000_000L, "cpu " + since.cpuNanos());
        assertTrue(since.jitMillis() >= 0, "jit " + since.jitMillis());
    }
}
