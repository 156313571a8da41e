package io.mailfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The heap of another JVM on this machine, read from outside with {@code jcmd}: {@code GC.run} (a full
 * collection), then {@code GC.heap_info}; so the figure is what stays live, not garbage awaiting a GC.
 */
final class ServerHeap {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");
    private static final Pattern MAX_HEAP = Pattern.compile("-XX:MaxHeapSize=(\\d+)");

    private final long pid;
    private final String jcmd;

    ServerHeap(long pid) {
        this.pid = pid;
        Path beside = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        this.jcmd = beside.toFile().canExecute() ? beside.toString() : "jcmd";
    }

    /** Heap in use after a full GC, in bytes. */
    long usedAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        return usedBytes(jcmd("GC.heap_info"));
    }

    /** The JVM's maximum heap ({@code -Xmx}) in bytes. */
    long maxHeap() throws IOException, InterruptedException {
        Matcher m = MAX_HEAP.matcher(jcmd("VM.flags"));
        if (!m.find()) {
            throw new IOException("jcmd " + pid + " VM.flags printed no -XX:MaxHeapSize");
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Sums the {@code used NK} of every heap line of {@code GC.heap_info} (one line for G1, a line per
     * generation for the serial and parallel collectors), skipping Metaspace and class space.
     */
    static long usedBytes(String heapInfo) throws IOException {
        long kb = 0;
        boolean found = false;
        for (String line : heapInfo.split("\n")) {
            if (line.contains("Metaspace") || line.contains("class space")) {
                continue;
            }
            Matcher m = USED.matcher(line);
            if (m.find()) {
                kb += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("jcmd GC.heap_info printed no heap usage: " + heapInfo.strip());
        }
        return kb * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(jcmd, Long.toString(pid), command)).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("jcmd " + pid + " " + command + " did not finish within 120 s");
        }
        if (p.exitValue() != 0 || out.contains("Exception")) {
            throw new IOException("jcmd " + pid + " " + command + " failed (is " + pid
                    + " a JVM of this user on this machine?): " + out.strip());
        }
        return out;
    }
}
