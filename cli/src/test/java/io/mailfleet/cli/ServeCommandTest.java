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
}
