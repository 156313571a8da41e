package io.mailfleet.server.managesieve;

import io.mailfleet.cluster.auth.DirectoryAuthenticator;
import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryChange;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.server.FirstAccount;
import io.mailfleet.server.MailfleetServer;
import io.mailfleet.server.TestServers;
import io.mailfleet.protocols.managesieve.ManageSieveServer;
import io.mailfleet.protocols.managesieve.ManageSieveServices;
import io.mailfleet.protocols.managesieve.ManageSieveSettings;
import io.mailfleet.protocols.tls.TlsContextProvider;
import io.mailfleet.protocols.tls.TlsSettings;
import io.mailfleet.testkit.Wire;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ManageSieve against a real node: a full session over STARTTLS, quota, SASL LOGIN and bad input. */
class ManageSieveEndToEndTest {

    @TempDir
    static Path data;
    static MailfleetServer server;
    static ExecutorService executor;
    static TlsContextProvider tls;
    static TlsContextProvider noTls;
    static SieveScriptStore scripts;
    static ManageSieveServer secure;
    static ManageSieveServer clear;

    static final String VALID = "require [\"fileinto\", \"vacation\"];\r\n"
            + "if header :contains \"subject\" \"report\" {\r\n  fileinto \"Reports\";\r\n}\r\n";

    @BeforeAll
    static void start() throws Exception {
        java.nio.file.Path conf = data.resolve("quota.conf");
        java.nio.file.Files.writeString(conf, "mailfleet.managesieve { max-scripts = 3, max-script-bytes = 400 }\n");
        server = TestServers.start(TestServers.env(data, Map.of("MAILFLEET_CONFIG", conf.toString())),
                new FirstAccount("user@example.com", "secret", false));
        server.node().directory().apply(new DirectoryChange.AddAccount("quota@example.com", PasswordSchemes.hash("pw")))
                .toCompletableFuture().get(20, TimeUnit.SECONDS);
        executor = Executors.newFixedThreadPool(2);
        tls = TlsContextProvider.start(TlsSettings.selfSigned("mail.example.com", data));
        noTls = TlsContextProvider.start(TlsSettings.none());
        scripts = server.node().sieveScripts();
        DirectoryAuthenticator auth = new DirectoryAuthenticator(server.node().directory(), executor);
        ManageSieveSettings settings = ManageSieveSettings.defaults(0, "mail.example.com").withBind("127.0.0.1", 0);
        secure = ManageSieveServer.start(settings, new ManageSieveServices(auth, scripts, tls));
        clear = ManageSieveServer.start(settings, new ManageSieveServices(auth, scripts, noTls));
    }

    @AfterAll
    static void stop() {
        secure.close();
        clear.close();
        tls.close();
        noTls.close();
        server.close();
        executor.shutdownNow();
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void fullSessionOverStartTls() throws Exception {
        try (Wire c = Wire.sieve(secure.port())) {
            assertTrue(c.greetingLines().contains("\"STARTTLS\"") && c.greetingLines().contains("\"SASL\" \"\"")
                    && c.greetingLines().contains("\"VERSION\" \"1.0\"") && c.greetingLines().contains("\"MAXREDIRECTS\" \"4\"")
                    && c.greetingLines().contains("\"IMPLEMENTATION\" \"Mailfleet\""), c.greetingLines().toString());
            String sieve = c.greetingLines().stream().filter(l -> l.startsWith("\"SIEVE\"")).findFirst().orElseThrow();
            assertTrue(sieve.contains("fileinto") && sieve.contains("vacation") && sieve.contains("imap4flags"), sieve);
            assertEquals("NO (ENCRYPT-NEEDED) \"Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\"",
                    Wire.last(c.send("AUTHENTICATE \"PLAIN\" \"" + b64("\0user@example.com\0secret") + "\"").response()));
            assertTrue(Wire.last(c.send("LISTSCRIPTS").response()).startsWith("NO"));

            assertEquals(List.of("OK \"Begin TLS negotiation now.\""), c.send("STARTTLS").response());
            c.startTls();
            List<String> caps = c.sieveResponse();
            assertTrue(caps.contains("\"SASL\" \"PLAIN LOGIN\"") && !caps.contains("\"STARTTLS\""), caps.toString());
            assertEquals("OK \"TLS negotiation successful.\"", Wire.last(caps));

            assertEquals("OK \"Logged in.\"",
                    Wire.last(c.send("AUTHENTICATE \"PLAIN\" \"" + b64("\0user@example.com\0secret") + "\"").response()));

            String broken = "require \"fileinto\";\r\n\r\nif header :is \"subject\" {\r\n  keep;\r\n}\r\n";
            String no = Wire.last(c.sieveLiteral("PUTSCRIPT \"broken\"", broken));
            assertTrue(no.startsWith("NO \"line 3: "), no);
            assertEquals("NO \"line 2: unknown command 'frobnicate'\"",
                    Wire.last(c.sieveLiteral("CHECKSCRIPT", "keep;\nfrobnicate;\n")));
            assertEquals("OK \"Script is valid.\"", Wire.last(c.sieveLiteral("CHECKSCRIPT", VALID)));
            assertEquals("OK \"Putscript completed.\"", Wire.last(c.sieveLiteral("PUTSCRIPT \"main\"", VALID)));
            assertEquals(List.of("\"main\"", "OK \"Listscripts completed.\""), c.send("LISTSCRIPTS").response());
            assertEquals("OK \"Setactive completed.\"", Wire.last(c.send("SETACTIVE \"main\"").response()));
            assertEquals(List.of("\"main\" ACTIVE", "OK \"Listscripts completed.\""), c.send("LISTSCRIPTS").response());
            List<String> got = c.send("GETSCRIPT \"main\"").response();
            assertEquals("{" + VALID.length() + "}\r\n" + VALID, got.get(0));
            assertEquals("OK \"Getscript completed.\"", Wire.last(got));

            assertEquals("OK \"Renamescript completed.\"", Wire.last(c.send("RENAMESCRIPT \"main\" \"sorting\"").response()));
            assertEquals(List.of("\"sorting\" ACTIVE", "OK \"Listscripts completed.\""), c.send("LISTSCRIPTS").response());
            assertEquals(VALID, scripts.activeScript("user@example.com").toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .orElseThrow().source());
            assertTrue(Wire.last(c.send("DELETESCRIPT \"sorting\"").response()).startsWith("NO (ACTIVE)"));
            assertEquals("OK \"Putscript completed.\"", Wire.last(c.send("PUTSCRIPT \"spare\" \"keep;\"").response()));
            assertTrue(Wire.last(c.send("RENAMESCRIPT \"spare\" \"sorting\"").response()).startsWith("NO (ALREADYEXISTS)"));
            assertTrue(Wire.last(c.send("DELETESCRIPT \"missing\"").response()).startsWith("NO (NONEXISTENT)"));
            assertTrue(Wire.last(c.send("GETSCRIPT \"missing\"").response()).startsWith("NO (NONEXISTENT)"));
            assertTrue(Wire.last(c.send("SETACTIVE \"missing\"").response()).startsWith("NO (NONEXISTENT)"));
            assertEquals("OK \"Setactive completed.\"", Wire.last(c.send("SETACTIVE \"\"").response()));
            assertEquals("OK \"Deletescript completed.\"", Wire.last(c.send("DELETESCRIPT \"sorting\"").response()));
            assertEquals(List.of("\"spare\"", "OK \"Listscripts completed.\""), c.send("LISTSCRIPTS").response());
            assertEquals("OK (TAG \"t1\") \"Done\"", Wire.last(c.send("NOOP \"t1\"").response()));
            assertEquals("OK \"Unauthenticate completed.\"", Wire.last(c.send("UNAUTHENTICATE").response()));
            assertTrue(Wire.last(c.send("LISTSCRIPTS").response()).startsWith("NO"));
            assertEquals("OK \"Logout completed.\"", Wire.last(c.send("LOGOUT").response()));
        }
    }

    @Test
    void quotaLoginMechanismAndBadInput() throws Exception {
        try (Wire c = Wire.sieve(clear.port())) {
            assertTrue(c.greetingLines().contains("\"SASL\" \"PLAIN LOGIN\"") && !c.greetingLines().contains("\"STARTTLS\""),
                    c.greetingLines().toString());
            assertEquals("NO \"Authentication failed.\"",
                    Wire.last(c.send("AUTHENTICATE \"PLAIN\" \"" + b64("\0quota@example.com\0bad") + "\"").response()));
            c.write("AUTHENTICATE \"LOGIN\"\r\n");
            assertEquals("\"VXNlcm5hbWU6\"", c.line());
            c.write("\"" + b64("quota@example.com") + "\"\r\n");
            assertEquals("\"UGFzc3dvcmQ6\"", c.line());
            c.write("{" + b64("pw").length() + "+}\r\n" + b64("pw") + "\r\n");
            assertEquals(List.of("OK \"Logged in.\""), c.sieveResponse());

            assertEquals("NO (QUOTA/MAXSIZE) \"Script storage quota exceeded (400 octets allowed in total).\"",
                    Wire.last(c.send("HAVESPACE \"big\" 401").response()));
            assertEquals("OK \"Putscript would succeed.\"", Wire.last(c.send("HAVESPACE \"big\" 400").response()));
            for (String n : List.of("a", "b", "c")) {
                assertEquals("OK \"Putscript completed.\"", Wire.last(c.send("PUTSCRIPT \"" + n + "\" \"keep;\"").response()));
            }
            assertTrue(Wire.last(c.send("HAVESPACE \"d\" 5").response()).startsWith("NO (QUOTA/MAXSCRIPTS)"));
            assertTrue(Wire.last(c.send("PUTSCRIPT \"d\" \"keep;\"").response()).startsWith("NO (QUOTA/MAXSCRIPTS)"));
            assertEquals("OK \"Putscript would succeed.\"", Wire.last(c.send("HAVESPACE \"a\" 5").response()));
            String big = "# " + "x".repeat(398) + "\r\nkeep;\r\n";
            assertTrue(Wire.last(c.sieveLiteral("PUTSCRIPT \"a\"", big)).startsWith("NO (QUOTA/MAXSIZE)"));

            assertTrue(Wire.last(c.send("PUTSCRIPT \"unterminated").response()).startsWith("NO \"Unterminated"));
            assertTrue(Wire.last(c.send("FROBNICATE").response()).startsWith("NO \"Unknown command"));
            assertTrue(Wire.last(c.send("PUTSCRIPT \"\" \"keep;\"").response()).startsWith("NO \"Error in PUTSCRIPT: Invalid"));
            assertTrue(Wire.last(c.send("HAVESPACE \"a\" lots").response()).startsWith("NO \"Error in HAVESPACE"));
            assertTrue(Wire.last(c.send("STARTTLS").response()).startsWith("NO"));
            assertEquals("OK \"Done\"", Wire.last(c.send("NOOP").response()));
        }
    }
}
