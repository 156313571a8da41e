package io.mailfleet.server.crash;

import io.mailfleet.testkit.Smtp;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding 5 of issue 12 replayed: a node and the CLI run in their own JVMs under {@code umask 022} (set by bash
 * before exec, as an operator's shell would), write every kind of file they keep (TLS key, DKIM key, API token,
 * SRS secret, journal, blobs) and an online backup; nothing under the data or backup directory is open to group
 * or others. A data directory left 0755 with a 0644 file from before is tightened at start with one warning.
 * (In the crash package for {@link ChildNode}, which starts nodes in their own process.)
 */
class PrivateFilesUnderUmaskTest {

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path tmp;

    @Test
    void nodeFilesAndBackupAreOwnerOnlyUnderUmask022() throws Exception {
        Path data = tmp.resolve("data");
        Files.createDirectory(data, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Path stale = data.resolve("left-from-before.txt");
        Files.writeString(stale, "written by an older node\n");
        Files.setPosixFilePermissions(stale, PosixFilePermissions.fromString("rw-r--r--"));
        Path backup = tmp.resolve("backup");
        Map<String, String> env = ChildNode.env(data, Map.of("SSL_TYPE", "self-signed", "ENABLE_SRS", "1"));

        String dkim = runCliUnderUmask(env, "config", "dkim", "domain", "example.com", "keytype", "ed25519");
        assertTrue(dkim.contains("Creating DKIM private key"), dkim);

        try (ChildNode child = ChildNode.start(env, 256, "022")) {
            try (Wire smtp = Wire.connect(Wire.Protocol.SMTP, child.smtpPort(), 30_000)) {
                Smtp.beginData(smtp, "sender@client.remote.example", ChildNode.ACCOUNT);
                smtp.write("Subject: private\r\nMessage-ID: <umask@client.remote.example>\r\n\r\n"
                        + "body that must stay private\r\n".repeat(500));
                String reply = Smtp.endData(smtp);
                assertTrue(reply != null && reply.startsWith("250"), "message not accepted: " + reply);
            }
            String token = Files.readString(data.resolve("api-token")).trim();
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + child.env().get("MAILFLEET_MANAGEMENT_PORT") + "/api/v1/backup?dir="
                                    + URLEncoder.encode(backup.toString(), StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofMinutes(2))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode(), answer.body());

            for (String expected : List.of("tls/mail.example.com-key.pem", "api-token", "srs-secret",
                    "dkim/keys/example.com/mail.private", "journal/mailfleet.mv.db")) {
                assertTrue(Files.isRegularFile(data.resolve(expected)), expected + " was not written");
            }
            assertTrue(countFiles(data.resolve("blobs")) > 0, "no blob file written");
            assertTrue(Files.isRegularFile(backup.resolve("journal/mailfleet.mv.db")), "journal not in the backup");
            assertTrue(countFiles(backup.resolve("blobs")) > 0, "no blob file in the backup");
            assertTrue(Files.isRegularFile(backup.resolve("tls/mail.example.com-key.pem")), "key not in the backup");

            assertEquals(List.of(), openEntries(data), "open to group or others under the data directory");
            assertEquals(List.of(), openEntries(backup), "open to group or others under the backup");
            assertTrue(child.output().contains("data directory " + data + " was rwxr-xr-x"), child.output());
            assertTrue(child.output().contains("under " + data + " were open to group or others (first: "
                    + stale + " rw-r--r--)"), child.output());
        }
    }

    /** Runs {@code Main <args>} in its own JVM under umask 022; returns its output, failing on a non-zero exit. */
    private static String runCliUnderUmask(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "umask 022 && exec \"$@\"", "bash",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "io.mailfleet.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "CLI did not finish: " + out);
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    /** Every file and directory (not symbolic links) under {@code root}, itself included, with group or others bits. */
    private static List<String> openEntries(Path root) throws IOException {
        List<String> open = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                PosixFileAttributes a = Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (!a.isSymbolicLink() && a.permissions().stream().anyMatch(GROUP_OR_OTHERS::contains)) {
                    open.add(p + " " + PosixFilePermissions.toString(a.permissions()));
                }
            }
        }
        return open;
    }

    private static long countFiles(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
