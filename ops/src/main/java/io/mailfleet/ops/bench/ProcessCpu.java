package io.mailfleet.ops.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * CPU time this JVM used between two points, and the machine's load average at the end: the cost per
 * operation stays comparable when other work shares the cores, unlike a rate.
 */
record ProcessCpu(long cpuNanos, double loadAverage) {

    /** CPU time used so far by the whole process (client and in-process node together), -1 if unknown. */
    static long now() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            return sun.getProcessCpuTime();
        }
        return -1;
    }

    /** The CPU used since {@code start} (a value of {@link #now()}), -1 when the platform does not tell. */
    static ProcessCpu since(long start) {
        long end = now();
        double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return new ProcessCpu(start < 0 || end < 0 ? -1 : end - start, load);
    }

    /** Milliseconds of CPU per operation, or -1 when unknown. */
    double millisPer(long operations) {
        return cpuNanos < 0 || operations <= 0 ? -1 : cpuNanos / 1e6 / operations;
    }
}
