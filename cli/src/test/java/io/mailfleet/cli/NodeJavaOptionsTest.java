package io.mailfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The launcher's default JVM options for a node ({@code scripts/java-options.sh}): the JIT tuning only
 * on one or two cores, and every option one this JVM accepts (a misspelt {@code -XX} flag would stop
 * {@code ./mailfleet serve} from starting at all).
 */
class NodeJavaOptionsTest {

    private static final Path SCRIPT = Path.of("../scripts/java-options.sh").toAbsolutePath().normalize();

    @TempDir
    Path bin;

    @Test
    void onTwoCoresTheOptimisingCompilerGetsRaisedThresholdsAndTheJvmAcceptsThem() throws Exception {
        List<String> options = optionsWithCores(2);
        assertEquals(List.of("-Xms256m", "-Xmx1g"), options.subList(0, 2), options.toString());
        assertTrue(options.contains("-XX:Tier4InvocationThreshold=30000"), options.toString());
        assertTrue(options.contains("-XX:FreqInlineSize=150"), options.toString());
        assertJvmStartsWith(options);
    }

    @Test
    void onOneCoreToo() throws Exception {
        assertEquals(optionsWithCores(2), optionsWithCores(1));
    }

    @Test
    void withMoreCoresTheJvmDefaultsStay() throws Exception {
        List<String> options = optionsWithCores(8);
        assertEquals(List.of("-Xms256m", "-Xmx1g"), options);
        assertFalse(options.stream().anyMatch(o -> o.startsWith("-XX:")), options.toString());
    }

    /** Runs the script's function with an {@code nproc} on the PATH that reports {@code cores}. */
    private List<String> optionsWithCores(int cores) throws IOException, InterruptedException {
        Path nproc = bin.resolve("nproc");
        Files.writeString(nproc, "#!/bin/sh\necho " + cores + "\n");
        Files.setPosixFilePermissions(nproc, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$0\" && mailfleet_node_java_opts", SCRIPT.toString());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return Arrays.asList(out.split("\\s+"));
    }

    private static void assertJvmStartsWith(List<String> options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(options);
        command.add("-version");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
    }
}
