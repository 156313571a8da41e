package io.mailfleet.bench;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The machine a benchmark ran on, so figures are never quoted without their context. */
public record MachineInfo(int cores, String cpu, String os, String javaVersion, long heapMaxBytes,
                          String jvmArguments) {

    public static MachineInfo current() {
        String os = System.getProperty("os.name") + " " + System.getProperty("os.version") + " ("
                + System.getProperty("os.arch") + ")";
        return new MachineInfo(Runtime.getRuntime().availableProcessors(), cpuModel(), os, javaVersionLine(),
                Runtime.getRuntime().maxMemory(),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: the OS line still says enough
        }
        return "unknown";
    }

    /** The first line of {@code java -version} of this JVM, falling back to its system properties. */
    private static String javaVersionLine() {
        String fallback = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        try {
            Process p = new ProcessBuilder(java.toString(), "-version").redirectErrorStream(true).start();
            String out;
            try (InputStream in = p.getInputStream()) {
                out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return fallback;
            }
            String[] lines = out.strip().split("\n");
            return lines.length >= 3 ? lines[0].strip() + "; " + lines[2].strip() : out.strip().replace('\n', ';');
        } catch (IOException e) {
            return fallback;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fallback;
        }
    }
}
