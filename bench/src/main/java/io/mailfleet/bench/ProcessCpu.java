package io.mailfleet.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.Locale;

/**
 * CPU time this JVM used between two points, the JIT compiler's time meanwhile, and the machine's load
 * average at the end: the cost per operation stays comparable when other work shares the cores, unlike
 * a rate, and the JIT time tells whether the figure is the warmed-up (steady-state) one.
 */
record ProcessCpu(long cpuNanos, double loadAverage, long jitMillis) {

    /*
     * On two cores the C2 compiler competes with the load for a whole minute or more: in a cold JVM it
     * took a third of the machine, so a short run measures the compiler as much as the server. Above
     * this share of the process CPU the report says the figure is not the steady state.
     */
    private static final double WARM_JIT_SHARE = 0.05;

    /** Where a measurement starts. */
    record Mark(long cpuNanos, long jitMillis) {
    }

    /** The process CPU and JIT time so far (-1 each when the platform does not tell). */
    static Mark mark() {
        return new Mark(cpuNow(), jitNow());
    }

    /** CPU time used so far by the whole process (client and in-process node together), -1 if unknown. */
    static long cpuNow() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** Milliseconds the JIT compiler threads spent compiling so far (summed over threads), -1 if unknown. */
    static long jitNow() {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : -1;
    }

    /** What was used since {@code start}. */
    static ProcessCpu since(Mark start) {
        long cpu = cpuNow();
        long jit = jitNow();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new ProcessCpu(start.cpuNanos() < 0 || cpu < 0 ? -1 : cpu - start.cpuNanos(), load,
                start.jitMillis() < 0 || jit < 0 ? -1 : jit - start.jitMillis());
    }

    /** Milliseconds of CPU per operation, or -1 when unknown. */
    double millisPer(long operations) {
        return cpuNanos < 0 || operations <= 0 ? -1 : cpuNanos / 1e6 / operations;
    }

    /** JIT compilation time as a share of the process CPU, -1 when unknown. */
    double jitShare() {
        return jitMillis < 0 || cpuNanos <= 0 ? -1 : jitMillis * 1e6 / cpuNanos;
    }

    /**
     * One line on the JIT compiler during the measurement, with a warning when it was busy enough that the
     * figure is below the warmed-up one; null when the JVM does not tell.
     */
    String jitReport(String warmupHint) {
        double share = jitShare();
        if (share < 0) {
            return null;
        }
        String line = String.format(Locale.ROOT, "%.1f s compiling (about %.0f %% of the process CPU)",
                jitMillis / 1e3, 100 * Math.min(1, share));
        return share > WARM_JIT_SHARE
                ? line + "; NOT the steady state: the JVM was still compiling, warm up longer (" + warmupHint + ")"
                : line + "; warmed up";
    }
}
