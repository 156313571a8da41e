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
        try (RawSieve c = new RawSieve(secure.port())) {
            assertTrue(c.greeting.contains("\"STARTTLS\"") && c.greeting.contains("\"SASL\" \"\"")
                    && c.greeting.contains("\"VERSION\" \"1.0\"") && c.greeting.contains("\"MAXREDIRECTS\" \"4\"")
                    && c.greeting.contains("\"IMPLEMENTATION\" \"Mailfleet\""), c.greeting.toString());
            String sieve = c.greeting.stream().filter(l -> l.startsWith("\"SIEVE\"")).findFirst().orElseThrow();
            assertTrue(sieve.contains("fileinto") && sieve.contains("vacation") && sieve.contains("imap4flags"), sieve);
            assertEquals("NO (ENCRYPT-NEEDED) \"Plaintext authentication disallowed on non-secure (SSL/TLS) connections.\"",
                    RawSieve.last(c.command("AUTHENTICATE \"PLAIN\" \"" + b64("\0user@example.com\0secret") + "\"")));
            assertTrue(RawSieve.last(c.command("LISTSCRIPTS")).startsWith("NO"));

            assertEquals(List.of("OK \"Begin TLS negotiation now.\""), c.command("STARTTLS"));
            c.startTls();
            List<String> caps = c.response();
            assertTrue(caps.contains("\"SASL\" \"PLAIN LOGIN\"") && !caps.contains("\"STARTTLS\""), caps.toString());
            assertEquals("OK \"TLS negotiation successful.\"", RawSieve.last(caps));

            assertEquals("OK \"Logged in.\"",
                    RawSieve.last(c.command("AUTHENTICATE \"PLAIN\" \"" + b64("\0user@example.com\0secret") + "\"")));

            String broken = "require \"fileinto\";\r\n\r\nif header :is \"subject\" {\r\n  keep;\r\n}\r\n";
            String no = RawSieve.last(c.withLiteral("PUTSCRIPT \"broken\"", broken));
            assertTrue(no.startsWith("NO \"line 3: "), no);
            assertEquals("NO \"line 2: unknown command 'frobnicate'\"",
                    RawSieve.last(c.withLiteral("CHECKSCRIPT", "keep;\nfrobnicate;\n")));
            assertEquals("OK \"Script is valid.\"", RawSieve.last(c.withLiteral("CHECKSCRIPT", VALID)));
            assertEquals("OK \"Putscript completed.\"", RawSieve.last(c.withLiteral("PUTSCRIPT \"main\"", VALID)));
            assertEquals(List.of("\"main\"", "OK \"Listscripts completed.\""), c.command("LISTSCRIPTS"));
            assertEquals("OK \"Setactive completed.\"", RawSieve.last(c.command("SETACTIVE \"main\"")));
            assertEquals(List.of("\"main\" ACTIVE", "OK \"Listscripts completed.\""), c.command("LISTSCRIPTS"));
            List<String> got = c.command("GETSCRIPT \"main\"");
            assertEquals("{" + VALID.length() + "}\r\n" + VALID, got.get(0));
            assertEquals("OK \"Getscript completed.\"", RawSieve.last(got));

            assertEquals("OK \"Renamescript completed.\"", RawSieve.last(c.command("RENAMESCRIPT \"main\" \"sorting\"")));
            assertEquals(List.of("\"sorting\" ACTIVE", "OK \"Listscripts completed.\""), c.command("LISTSCRIPTS"));
            assertEquals(VALID, scripts.activeScript("user@example.com").toCompletableFuture().get(20, TimeUnit.SECONDS)
                    .orElseThrow().source());
            assertTrue(RawSieve.last(c.command("DELETESCRIPT \"sorting\"")).startsWith("NO (ACTIVE)"));
            assertEquals("OK \"Putscript completed.\"", RawSieve.last(c.command("PUTSCRIPT \"spare\" \"keep;\"")));
            assertTrue(RawSieve.last(c.command("RENAMESCRIPT \"spare\" \"sorting\"")).startsWith("NO (ALREADYEXISTS)"));
            assertTrue(RawSieve.last(c.command("DELETESCRIPT \"missing\"")).startsWith("NO (NONEXISTENT)"));
            assertTrue(RawSieve.last(c.command("GETSCRIPT \"missing\"")).startsWith("NO (NONEXISTENT)"));
            assertTrue(RawSieve.last(c.command("SETACTIVE \"missing\"")).startsWith("NO (NONEXISTENT)"));
            assertEquals("OK \"Setactive completed.\"", RawSieve.last(c.command("SETACTIVE \"\"")));
            assertEquals("OK \"Deletescript completed.\"", RawSieve.last(c.command("DELETESCRIPT \"sorting\"")));
            assertEquals(List.of("\"spare\"", "OK \"Listscripts completed.\""), c.command("LISTSCRIPTS"));
            assertEquals("OK (TAG \"t1\") \"Done\"", RawSieve.last(c.command("NOOP \"t1\"")));
            assertEquals("OK \"Unauthenticate completed.\"", RawSieve.last(c.command("UNAUTHENTICATE")));
            assertTrue(RawSieve.last(c.command("LISTSCRIPTS")).startsWith("NO"));
            assertEquals("OK \"Logout completed.\"", RawSieve.last(c.command("LOGOUT")));
        }
    }

    @Test
    void quotaLoginMechanismAndBadInput() throws Exception {
        try (RawSieve c = new RawSieve(clear.port())) {
            assertTrue(c.greeting.contains("\"SASL\" \"PLAIN LOGIN\"") && !c.greeting.contains("\"STARTTLS\""),
                    c.greeting.toString());
            assertEquals("NO \"Authentication failed.\"",
                    RawSieve.last(c.command("AUTHENTICATE \"PLAIN\" \"" + b64("\0quota@example.com\0bad") + "\"")));
            c.send("AUTHENTICATE \"LOGIN\"\r\n");
            assertEquals("\"VXNlcm5hbWU6\"", c.readLine());
            c.send("\"" + b64("quota@example.com") + "\"\r\n");
            assertEquals("\"UGFzc3dvcmQ6\"", c.readLine());
            c.send("{" + b64("pw").length() + "+}\r\n" + b64("pw") + "\r\n");
            assertEquals(List.of("OK \"Logged in.\""), c.response());

            assertEquals("NO (QUOTA/MAXSIZE) \"Script storage quota exceeded (400 octets allowed in total).\"",
                    RawSieve.last(c.command("HAVESPACE \"big\" 401")));
            assertEquals("OK \"Putscript would succeed.\"", RawSieve.last(c.command("HAVESPACE \"big\" 400")));
            for (String n : List.of("a", "b", "c")) {
                assertEquals("OK \"Putscript completed.\"", RawSieve.last(c.command("PUTSCRIPT \"" + n + "\" \"keep;\"")));
            }
            assertTrue(RawSieve.last(c.command("HAVESPACE \"d\" 5")).startsWith("NO (QUOTA/MAXSCRIPTS)"));
            assertTrue(RawSieve.last(c.command("PUTSCRIPT \"d\" \"keep;\"")).startsWith("NO (QUOTA/MAXSCRIPTS)"));
            assertEquals("OK \"Putscript would succeed.\"", RawSieve.last(c.command("HAVESPACE \"a\" 5")));
            String big = "# " + "x".repeat(398) + "\r\nkeep;\r\n";
            assertTrue(RawSieve.last(c.withLiteral("PUTSCRIPT \"a\"", big)).startsWith("NO (QUOTA/MAXSIZE)"));

            assertTrue(RawSieve.last(c.command("PUTSCRIPT \"unterminated")).startsWith("NO \"Unterminated"));
            assertTrue(RawSieve.last(c.command("FROBNICATE")).startsWith("NO \"Unknown command"));
            assertTrue(RawSieve.last(c.command("PUTSCRIPT \"\" \"keep;\"")).startsWith("NO \"Error in PUTSCRIPT: Invalid"));
            assertTrue(RawSieve.last(c.command("HAVESPACE \"a\" lots")).startsWith("NO \"Error in HAVESPACE"));
            assertTrue(RawSieve.last(c.command("STARTTLS")).startsWith("NO"));
            assertEquals("OK \"Done\"", RawSieve.last(c.command("NOOP")));
        }
    }
}
