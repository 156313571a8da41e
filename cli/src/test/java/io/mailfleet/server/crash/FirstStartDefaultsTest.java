package io.mailfleet.server.crash;

import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code ./mailfleet serve} as a newcomer runs it, in its own JVM: with no SSL_TYPE it serves TLS with
 * a self-signed certificate whose fingerprint it logs, and with no account it warns and then stops
 * with exit code 1, as docker-mailserver does.
 */
class FirstStartDefaultsTest {

    private static final Pattern FINGERPRINT = Pattern.compile("SHA-256 fingerprint ([0-9A-F:]{95})");

    @TempDir
    Path tmp;

    @Test
    void noSslTypeMeansSelfSignedTlsAndNoAccountMeansAWarnedStop() throws Exception {
        Map<String, String> env = new HashMap<>(ChildNode.env(tmp.resolve("data"),
                Map.of("MAILFLEET_NO_ACCOUNT_WAIT", "20s")));
        env.remove("SSL_TYPE");
        try (ChildNode node = ChildNode.startServe(env, 256, null, List.of("--data", env.get("MAILFLEET_DATA")))) {
            assertTrue(node.output().contains("SSL_TYPE is not set: using a self-signed certificate"), node.output());
            Matcher logged = FINGERPRINT.matcher(node.output());
            assertTrue(logged.find(), node.output());
            assertTrue(Files.isDirectory(tmp.resolve("data").resolve("tls")), "certificate kept in the data directory");

            try (Wire submission = Wire.smtp(Integer.parseInt(env.get("MAILFLEET_SUBMISSION_PORT")))) {
                submission.expect("220");
                submission.send("EHLO client.example");
                assertTrue(submission.response().stream().anyMatch(l -> l.contains("STARTTLS")), "submission offers STARTTLS");
            }
            try (Wire submissions = Wire.smtps(Integer.parseInt(env.get("MAILFLEET_SUBMISSIONS_PORT")))) {
                submissions.expect("220");
                X509Certificate leaf = submissions.peerCertificates()[0];
                String served = HexFormat.ofDelimiter(":").withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(leaf.getEncoded()));
                assertEquals(logged.group(1), served, "the logged fingerprint is the served certificate's");
            }

            int code = node.awaitExit(90);
            assertEquals(1, code, "stops with exit code 1 when no account came:\n" + node.output());
            assertTrue(node.output().contains("no mail account exists yet ("), node.output());
            assertTrue(node.output().contains("./mailfleet email add"), node.output());
            assertTrue(node.output().contains("no mail account was added within 20 s: stopping"), node.output());
        }
    }
}
