package io.mailfleet.bench;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A Java Flight Recorder recording of one measured phase (JFR's "profile" settings) and where its CPU
 * samples went: inclusive shares by component (a sample counts for every component with a frame in its
 * stack) and the top methods the samples were in. JFR samples Java threads only: the JIT compiler's
 * time is not in it (the report's JIT line tells it), nor the kernel's time in fsync.
 */
final class JfrProfile implements AutoCloseable {

    /** Components by class-name prefix, the import's path first. */
    private static final Map<String, List<String>> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("importer (reading, checking, batching)", List.of("io.mailfleet.server.importer."));
        COMPONENTS.put("MIME parse (summary)", List.of("io.mailfleet.core.mime."));
        COMPONENTS.put("SHA-256", List.of("sun.security.provider.SHA", "sun.security.provider.DigestBase",
                "java.security.MessageDigest"));
        COMPONENTS.put("blob store", List.of("io.mailfleet.persistence.blob."));
        COMPONENTS.put("mailbox entity", List.of("io.mailfleet.cluster.mailbox."));
        COMPONENTS.put("H2 journal", List.of("org.h2."));
        COMPONENTS.put("Pekko persistence", List.of("org.apache.pekko.persistence."));
        COMPONENTS.put("Kryo (serialization)", List.of("com.esotericsoftware."));
        // not org.apache.pekko.dispatch: the import itself runs on a thread of the blocking dispatcher
        COMPONENTS.put("Pekko actors / sharding", List.of("org.apache.pekko.actor.", "org.apache.pekko.cluster."));
        COMPONENTS.put("file reading and metadata (JDK)", List.of("sun.nio.fs.", "sun.nio.ch.FileChannelImpl",
                "java.io.FileInputStream", "java.nio.file.Files"));
        COMPONENTS.put("logging", List.of("ch.qos.logback.", "org.slf4j."));
    }

    private final Recording recording;
    private final Path file;

    private JfrProfile(Recording recording, Path file) {
        this.recording = recording;
        this.file = file;
    }

    /** Starts recording with JFR's "profile" settings; the recording is written to {@code file} on {@link #stop}. */
    static JfrProfile start(Path file) throws IOException {
        Configuration profile;
        try {
            profile = Configuration.getConfiguration("profile");
        } catch (ParseException e) {
            throw new IOException("JFR's profile settings cannot be read: " + e.getMessage(), e);
        }
        Recording r = new Recording(profile);
        r.setName("mailfleet-bench");
        r.setToDisk(true);
        r.start();
        return new JfrProfile(r, file);
    }

    /** Stops the recording, writes it, and answers the report of its samples. */
    String stop() throws IOException {
        recording.stop();
        recording.dump(file);
        return report(file);
    }

    @Override
    public void close() {
        recording.close();
    }

    /** The sampled thread's name with its numbers folded, so a pool's threads count as one. */
    private static String threadGroup(RecordedEvent e) {
        jdk.jfr.consumer.RecordedThread t = e.getThread("sampledThread");
        String name = t == null ? null : t.getJavaName();
        return name == null ? "(unknown)" : name.replaceAll("\\d+", "N");
    }

    /** Inclusive component shares and the top self methods of the execution samples in {@code file}. */
    static String report(Path file) throws IOException {
        int samples = 0;
        Map<String, Integer> byComponent = new HashMap<>();
        Map<String, Integer> selfMethods = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        long gcNanos = 0;
        int gcs = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            String type = e.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gcs++;
                gcNanos += e.getDuration("sumOfPauses").toNanos();
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = e.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            Set<String> hit = new HashSet<>();
            for (RecordedFrame f : stack.getFrames()) {
                String cls = f.getMethod().getType().getName();
                COMPONENTS.forEach((name, prefixes) -> {
                    for (String p : prefixes) {
                        if (cls.startsWith(p)) {
                            hit.add(name);
                        }
                    }
                });
            }
            hit.forEach(c -> byComponent.merge(c, 1, Integer::sum));
            threads.merge(threadGroup(e), 1, Integer::sum);
            RecordedFrame top = stack.getFrames().get(0);
            selfMethods.merge(top.getMethod().getType().getName() + "." + top.getMethod().getName(), 1, Integer::sum);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "JFR: %d execution samples (Java threads), %d GC pauses totalling %.0f ms; "
                + "recording in %s%n", samples, gcs, gcNanos / 1e6, file));
        if (samples == 0) {
            return b.toString();
        }
        b.append("  inclusive share of the samples by component:\n");
        for (String c : COMPONENTS.keySet()) {
            int n = byComponent.getOrDefault(c, 0);
            b.append(String.format(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * n / samples, c));
        }
        b.append("  by thread (numbers folded):\n");
        List<Map.Entry<String, Integer>> byThread = new ArrayList<>(threads.entrySet());
        byThread.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> t : byThread.subList(0, Math.min(8, byThread.size()))) {
            b.append(String.format(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * t.getValue() / samples, t.getKey()));
        }
        b.append("  top methods (self):\n");
        List<Map.Entry<String, Integer>> top = new ArrayList<>(selfMethods.entrySet());
        top.sort(Map.Entry.<String, Integer>comparingByValue().reversed());
        for (Map.Entry<String, Integer> m : top.subList(0, Math.min(15, top.size()))) {
            b.append(String.format(Locale.ROOT, "    %5.1f %%  %s%n", 100.0 * m.getValue() / samples, m.getKey()));
        }
        return b.toString();
    }
}
