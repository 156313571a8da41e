package io.mailfleet.cli;

import io.mailfleet.core.dkim.DkimKeys;
import io.mailfleet.core.dkim.DkimSigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code config dkim} and {@code relay} with a docker-mailserver config directory and no running
 * node: files land in the DMS layout ({@code opendkim/}, {@code postfix-relaymap.cf},
 * {@code postfix-sasl-password.cf}) with DMS's replace-or-append semantics.
 */
class DmsLayoutCommandsTest {

    @TempDir
    Path data;

    @TempDir
    Path dms;

    private CliRun run(String stdin, String... args) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("OVERRIDE_HOSTNAME", "mail.example.com");
        env.put("MAILFLEET_DATA", data.toString());
        env.put("DMS_CONFIG_DIR", dms.toString());
        try (ServerSocket closed = new ServerSocket(0)) {
            env.put("MAILFLEET_MANAGEMENT_PORT", Integer.toString(closed.getLocalPort()));
        }
        Files.writeString(data.resolve("api-token"), "token\n");
        return CliRun.withInput(stdin, env, args);
    }

    @Test
    void dkimKeysGoToTheOpenDkimDirectoryOfTheDmsConfig() throws Exception {
        CliRun r = run("", "config", "dkim", "keysize", "1024", "domain", "example.com,Other.Example");
        assertEquals(0, r.code(), r.toString());
        for (String d : List.of("example.com", "other.example")) {
            assertTrue(Files.exists(dms.resolve("opendkim/keys/" + d + "/mail.private")), d);
            assertTrue(r.out().contains("Publish this TXT record at mail._domainkey." + d), r.out());
        }
        List<DkimSigningKey> keys = DkimKeys.loadOpenDkim(dms.resolve("opendkim"));
        assertEquals(2, keys.size(), keys.toString());
        String record = DkimKeys.recordFromZoneFileText(Files.readString(dms.resolve("opendkim/keys/example.com/mail.txt")));
        assertTrue(r.out().contains(record.substring(record.indexOf("p=") + 2, record.indexOf("p=") + 60)), r.out());

        // Without `domain` and without a running node: the mail domain, with a warning naming the problem.
        CliRun defaults = run("", "config", "dkim", "selector", "other");
        assertEquals(0, defaults.code(), defaults.toString());
        assertTrue(defaults.err().contains("cannot reach the Mailfleet node"), defaults.toString());
        assertTrue(Files.exists(dms.resolve("opendkim/keys/example.com/other.private")));
        assertEquals(0, run("", "config", "dkim", "help").code());
        assertEquals(1, run("", "config", "dkim", "domain", "not a domain!").code());
        assertEquals(2, run("", "config", "frobnicate").code());
    }

    @Test
    void relayVerbsWriteTheDmsFilesReplacingTheDomainsLine() throws Exception {
        Files.writeString(dms.resolve("postfix-relaymap.cf"), "# relays\n@keep.example\t\t[smtp.keep.example]:587\n");
        assertEquals(0, run("", "relay", "add-domain", "example.com", "smtp.relay.example").code());
        assertEquals(0, run("", "relay", "add-domain", "example.com", "smtp.relay.example", "587").code());
        assertEquals(0, run("", "relay", "exclude-domain", "direct.example").code());
        assertEquals("# relays\n@keep.example\t\t[smtp.keep.example]:587\n@example.com\t\t[smtp.relay.example]:587\n"
                + "@direct.example\n", Files.readString(dms.resolve("postfix-relaymap.cf")));

        CliRun prompted = run("typed-secret\n", "relay", "add-auth", "example.com", "user1");
        assertEquals(0, prompted.code(), prompted.toString());
        assertTrue(prompted.out().contains("Enter Password: "), prompted.out());
        assertEquals(0, run("", "relay", "add-auth", "example.com", "user2", "new-secret").code());
        assertEquals("@example.com\t\tuser2:new-secret\n", Files.readString(dms.resolve("postfix-sasl-password.cf")));

        CliRun noHost = run("", "relay", "add-domain", "example.com");
        assertEquals(1, noHost.code());
        assertTrue(noHost.err().contains("No relay host specified"), noHost.toString());
        CliRun badPort = run("", "relay", "add-domain", "example.com", "smtp.relay.example", "99999");
        assertEquals(1, badPort.code());
        assertTrue(badPort.err().contains("Port must be a number"), badPort.toString());
        assertEquals(1, run("", "relay", "add-auth", "example.com").code());
        assertEquals(2, run("", "relay", "remove-domain", "example.com").code());
    }

    @Test
    void dovecotMasterVerbsKeepDmsMastersFile() throws Exception {
        Path file = dms.resolve("dovecot-masters.cf");
        assertEquals(0, run("", "dovecot-master", "add", "Admin", "first-secret").code());
        CliRun prompted = run("typed-secret\n", "dovecot-master", "add", "backup");
        assertEquals(0, prompted.code(), prompted.toString());
        java.util.Map<String, String> masters = io.mailfleet.server.auth.MasterUsersFile.parse(file, Files.readAllLines(file));
        assertEquals(List.of("admin", "backup"), List.copyOf(masters.keySet()), "names lower case, in order");
        assertTrue(masters.get("admin").startsWith("{SHA512-CRYPT}$6$"), masters.get("admin"));
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("first-secret", masters.get("admin")));
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("typed-secret", masters.get("backup")));

        assertEquals(0, run("", "dovecot-master", "update", "admin", "second-secret").code());
        masters = io.mailfleet.server.auth.MasterUsersFile.parse(file, Files.readAllLines(file));
        assertTrue(io.mailfleet.core.auth.PasswordSchemes.verify("second-secret", masters.get("admin")));

        CliRun list = run("", "dovecot-master", "list");
        assertEquals("* admin\n* backup\n", list.out());
        CliRun twice = run("", "dovecot-master", "add", "admin", "x");
        assertEquals(1, twice.code());
        assertTrue(twice.err().contains("User 'admin' already exists"), twice.toString());
        CliRun star = run("", "dovecot-master", "add", "ad*min", "x");
        assertEquals(1, star.code());
        assertTrue(star.err().contains("not a valid master user name"), star.toString());
        assertEquals(1, run("", "dovecot-master", "update", "nobody", "x").code());

        assertEquals(0, run("", "dovecot-master", "del", "-y", "backup").code());
        assertEquals("* admin\n", run("", "dovecot-master", "list").out());
        assertEquals(1, run("", "dovecot-master", "del", "backup").code());
        assertEquals(0, run("", "dovecot-master", "del", "admin").code());
        assertEquals(1, run("", "dovecot-master", "list").code(), "nothing to list");
        assertEquals(2, run("", "dovecot-master").code(), "the group alone is an invalid command");
    }
}
