package io.mailfleet.core.dms;

import io.mailfleet.core.auth.PasswordSchemes;
import io.mailfleet.core.directory.DirectoryView;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.LocalTarget;
import io.mailfleet.core.directory.RecipientResolver;
import io.mailfleet.core.directory.ResolverOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DmsConfigDirectoryTest {

    @TempDir
    Path dir;

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private void writeSample() throws IOException {
        String user1 = PasswordSchemes.hash("secret1", io.mailfleet.core.auth.Scheme.SHA512_CRYPT, 1000);
        write(AccountsFile.NAME, "# accounts\r\n"
                + "user1@example.com|" + user1 + "\r\n"
                + "user2@example.com|{PLAIN}secret2\r\n"
                + "broken line without separator\r\n"
                + "admin@other.org|{SSHA}EkoJW6FX0E2v6tmj3oPENgmVIm1zQWxUMTIzNA==|userdb_x=1"); // no final newline
        write(VirtualAliasFile.NAME, "alias1@example.com user1@example.com\n"
                + "@other.org admin@other.org   # catch-all\n"
                + "admin@other.org admin@other.org\n"
                + "fwd@example.com someone@gmail.com,user2@example.com\n"
                + "garbage\n");
        write(RegexpAliasFile.NAME, "/^test[0-9]+@example\\.com$/ user2@example.com\n/broken( x@y.z\n");
        write(QuotasFile.NAME, "user1@example.com:10M\nuser2@example.com:lots\nghost@example.com:1G\n");
        write(AccessFile.SEND, "user2@example.com \t\t REJECT\n");
        write(AccessFile.RECEIVE, "admin@other.org REJECT\nnot-an-address REJECT\n");
    }

    @Test
    void loadsEverythingAndReportsMalformedLines() throws IOException {
        writeSample();
        DmsConfig c = DmsConfigDirectory.load(dir);
        assertEquals(List.of("user1@example.com", "user2@example.com", "admin@other.org"),
                c.accounts().stream().map(AccountEntry::address).toList());
        assertEquals("userdb_x=1", c.accounts().get(2).attributes());
        assertEquals(4, c.aliases().size());
        assertEquals(1, c.regexAliases().size());
        assertEquals(List.of(new QuotaEntry("user1@example.com", 10L << 20)), c.quotas());
        assertEquals(List.of("user2@example.com"), c.sendDenied());
        assertEquals(List.of("admin@other.org"), c.receiveDenied());

        List<String> where = c.problems().stream().map(p -> p.file() + ":" + p.lineNumber()).toList();
        assertEquals(List.of(AccountsFile.NAME + ":4", VirtualAliasFile.NAME + ":5", RegexpAliasFile.NAME + ":2",
                QuotasFile.NAME + ":2", AccessFile.RECEIVE + ":2", QuotasFile.NAME + ":3"), where);
        ConfigProblem ghost = c.problems().get(5);
        assertEquals("ghost@example.com:1G", ghost.line());
        assertTrue(ghost.message().contains("no such account"));
        assertEquals("broken line without separator", c.problems().get(0).line());
    }

    @Test
    void domainDirectoriesFeedTheResolver() throws IOException {
        writeSample();
        DmsConfig c = DmsConfigDirectory.load(dir);
        List<DomainDirectory> domains = c.toDomainDirectories();
        assertEquals(List.of("example.com", "other.org"), domains.stream().map(DomainDirectory::domain).toList());
        DomainDirectory ex = domains.get(0);
        assertEquals(Set.of("user1@example.com", "user2@example.com"), ex.accounts().keySet());
        assertEquals(Map.of("user1@example.com", 10L << 20), ex.quotas());
        assertEquals(Set.of("user2@example.com"), ex.sendDenied());
        assertEquals(Set.of("admin@other.org"), domains.get(1).receiveDenied());
        assertEquals(List.of("someone@gmail.com", "user2@example.com"), ex.aliases().get("fwd@example.com"));

        DirectoryView view = c.toView();
        ResolverOptions o = ResolverOptions.defaults();
        assertEquals(List.of(new LocalTarget("user1@example.com", "x")),
                RecipientResolver.resolve(view, "alias1+x@example.com", o).localAccounts());
        assertEquals(List.of(new LocalTarget("user2@example.com", null)),
                RecipientResolver.resolve(view, "test7@example.com", o).localAccounts());
        assertEquals(List.of(new LocalTarget("admin@other.org", null)),
                RecipientResolver.resolve(view, "anything@other.org", o).localAccounts());
        assertTrue(RecipientResolver.resolve(view, "nobody@example.com", o).unknown());
        assertTrue(PasswordSchemes.verify("secret1", view.account("user1@example.com").orElseThrow().passwordHash()));
    }

    @Test
    void missingFilesAreEmptyAndMissingDirectoryIsAnError() throws IOException {
        DmsConfig c = DmsConfigDirectory.load(dir);
        assertTrue(c.accounts().isEmpty() && c.aliases().isEmpty() && c.problems().isEmpty());
        assertTrue(c.toDomainDirectories().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DmsConfigDirectory.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"));
    }

    @Test
    void fingerprintDetectsChanges() throws IOException {
        writeSample();
        DmsFingerprint f1 = DmsConfigDirectory.load(dir).fingerprint();
        assertTrue(f1.sameStamps(DmsConfigDirectory.stamps(dir)));
        assertEquals(f1, DmsConfigDirectory.load(dir).fingerprint());

        Path quotas = dir.resolve(QuotasFile.NAME);
        FileTime before = Files.getLastModifiedTime(quotas);
        write(QuotasFile.NAME, "user1@example.com:20M\nuser2@example.com:lots\nghost@example.com:1G\n");
        Files.setLastModifiedTime(quotas, FileTime.fromMillis(before.toMillis() + 2000));
        assertFalse(f1.sameStamps(DmsConfigDirectory.stamps(dir)));
        DmsFingerprint f2 = DmsConfigDirectory.load(dir).fingerprint();
        assertNotEquals(f1.contentHash(), f2.contentHash());

        // touched but same content: stamps differ, content hash says nothing changed
        Files.setLastModifiedTime(quotas, FileTime.fromMillis(before.toMillis() + 4000));
        DmsFingerprint f3 = DmsConfigDirectory.load(dir).fingerprint();
        assertFalse(f2.sameStamps(f3.stamps()));
        assertEquals(f2.contentHash(), f3.contentHash());

        Files.delete(dir.resolve(AccessFile.SEND));
        DmsFingerprint f4 = DmsConfigDirectory.load(dir).fingerprint();
        assertEquals(DmsFingerprint.Stamp.MISSING, f4.stamps().get(AccessFile.SEND));
        assertNotEquals(f3.contentHash(), f4.contentHash());
    }

    @Test
    void writersRoundTripThroughFiles() throws IOException {
        writeSample();
        Path accounts = dir.resolve(AccountsFile.NAME);
        List<String> lines = DmsLines.read(accounts);
        assertEquals(5, lines.size());
        DmsLines.write(accounts, AccountsFile.add(lines, "user3@example.com", PasswordSchemes.hash("pw3")));
        String text = Files.readString(accounts);
        assertFalse(text.contains("\r"));
        assertTrue(text.endsWith("\n"));
        assertTrue(text.startsWith("# accounts\n"));

        Path virtual = dir.resolve(VirtualAliasFile.NAME);
        DmsLines.write(virtual, VirtualAliasFile.addTarget(DmsLines.read(virtual), "alias1@example.com", "user3@example.com"));
        Path quotas = dir.resolve(QuotasFile.NAME);
        DmsLines.write(quotas, QuotasFile.set(DmsLines.read(quotas), "user3@example.com", "1G"));

        DmsConfig c = DmsConfigDirectory.load(dir);
        assertTrue(PasswordSchemes.verify("pw3", c.toView().account("user3@example.com").orElseThrow().passwordHash()));
        assertEquals(List.of(new LocalTarget("user1@example.com", null), new LocalTarget("user3@example.com", null)),
                RecipientResolver.resolve(c.toView(), "alias1@example.com", ResolverOptions.defaults()).localAccounts());
        assertEquals(1L << 30, c.toView().effectiveQuota("user3@example.com", 0));
        assertEquals(0, DmsLines.read(dir.resolve("absent.cf")).size());
        try (var s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")), "temp files left behind");
        }
    }
}
