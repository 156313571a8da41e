package io.mailfleet.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code serve} refuses bad options and bad configuration with one clear line and a non-zero exit. */
class ServeCommandTest {

    @TempDir
    Path data;

    private record Result(int code, String err) {
    }

    private Result serve(Map<String, String> env, String... args) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return new Result(ServeCommand.run(args, env), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setErr(oldErr);
        }
    }

    @Test
    void badEnvironmentValueNamesKeyValueAndAllowed() {
        Result r = serve(Map.of("MAILFLEET_DATA", data.toString(), "MAILFLEET_PORT_OFFSET", "lots"));
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("mailfleet: configuration error: "), r.err());
        assertTrue(r.err().contains("MAILFLEET_PORT_OFFSET") && r.err().contains("lots"), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line, no stack trace: " + r.err());
    }

    @Test
    void unknownOptionAndBadAccountAreRefused() {
        Result unknown = serve(Map.of("MAILFLEET_DATA", data.toString()), "--frobnicate", "1");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("unknown option --frobnicate"), unknown.err());
        Result account = serve(Map.of("MAILFLEET_DATA", data.toString()), "--create-account", "no-domain");
        assertEquals(1, account.code());
        assertTrue(account.err().contains("--create-account"), account.err());
        Result dangling = serve(Map.of("MAILFLEET_DATA", data.toString()), "--config");
        assertEquals(1, dangling.code());
        assertFalse(dangling.err().contains("Exception"), dangling.err());
    }

    @Test
    void aTakenPortIsNamedWithItsSettingAndVariable() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Map<String, String> env = new java.util.HashMap<>(Map.of("MAILFLEET_DATA", data.toString(),
                    "MAILFLEET_MANAGEMENT_PORT", Integer.toString(port), "MAILFLEET_CLUSTER_PORT", "0",
                    "MAILFLEET_CLUSTER_MANAGEMENT_PORT", "0"));
            for (String v : new String[]{"MAILFLEET_SMTP_PORT", "MAILFLEET_SUBMISSION_PORT", "MAILFLEET_SUBMISSIONS_PORT",
                    "MAILFLEET_IMAP_PORT", "MAILFLEET_IMAPS_PORT", "MAILFLEET_POP3_PORT", "MAILFLEET_POP3S_PORT",
                    "MAILFLEET_MANAGESIEVE_PORT"}) {
                env.put(v, "0");
            }
            Result r = serve(env);
            assertEquals(1, r.code(), r.err());
            assertTrue(r.err().contains("mailfleet: port " + port
                    + " is in use (mailfleet.management.port, MAILFLEET_MANAGEMENT_PORT)"), r.err());
            assertFalse(r.err().contains("try --port-offset"), r.err());
        }
    }
}
