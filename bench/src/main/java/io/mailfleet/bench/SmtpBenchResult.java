package io.mailfleet.bench;

import java.util.Map;

/**
 * The figures of one {@code bench smtp} run. Times in nanoseconds; {@code deliveredNanos} is from the
 * first MAIL sent to the last message seen in the mailboxes, negative when delivery was not measured;
 * {@code cpu} is what the whole JVM (load client and, without a target, the node) used meanwhile.
 */
public record SmtpBenchResult(SmtpBenchOptions options, String target, int messageSize, long accepted, long errors,
                              long unsent, long bytes, long acceptNanos, long delivered, long deliveredNanos,
                              boolean deliveryComplete, Latencies.Summary latency, Map<String, Integer> errorSamples,
                              MachineInfo machine, ProcessCpu cpu) {

    public SmtpBenchResult {
        errorSamples = Map.copyOf(errorSamples);
    }

    public double acceptedPerSecond() {
        return acceptNanos <= 0 ? 0 : accepted * 1e9 / acceptNanos;
    }

    public double deliveredPerSecond() {
        return deliveredNanos <= 0 ? 0 : delivered * 1e9 / deliveredNanos;
    }

    public boolean deliveryMeasured() {
        return deliveredNanos >= 0;
    }
}
