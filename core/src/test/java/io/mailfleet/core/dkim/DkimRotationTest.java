package io.mailfleet.core.dkim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Rotation in a docker-mailserver OpenDKIM directory: other domains' lines and comments survive every rewrite. */
class DkimRotationTest {

    @TempDir
    Path dir;

    @Test
    void rotationSwitchesOnlyTheDomainsSigningTableLineAndRetireRemovesOnlyTheOldKey() throws Exception {
        DkimKeys.writeOpenDkim(dir, "example.com", "mail", DkimKeys.generateRsa(1024));
        DkimKeys.writeOpenDkim(dir, "other.example", "mail", DkimKeys.generateEd25519());
        Files.writeString(dir.resolve("SigningTable"), "# written by hand\n" + Files.readString(dir.resolve("SigningTable")));
        assertEquals(Optional.of("mail"), DkimRotation.signingSelector(dir, "example.com"));

        String txt = DkimRotation.start(dir, "Example.com", "next", DkimKeys.generateEd25519());
        assertTrue(txt.startsWith("next._domainkey\tIN\tTXT"), txt);
        assertEquals(Optional.of("next"), DkimRotation.pendingSelector(dir, "example.com"));
        assertTrue(DkimRotation.isPending(dir, "example.com", "next"));
        assertEquals(Optional.of("mail"), DkimRotation.signingSelector(dir, "example.com"), "pending keys do not sign");
        assertEquals(3, DkimKeys.loadOpenDkim(dir).size(), "the new key is in KeyTable");
        assertThrows(DkimException.class, () -> DkimRotation.start(dir, "example.com", "next", DkimKeys.generateEd25519()));

        assertEquals(Optional.of("mail"), DkimRotation.confirm(dir, "example.com", "next"));
        assertEquals(Optional.of("next"), DkimRotation.signingSelector(dir, "example.com"));
        assertEquals(Optional.empty(), DkimRotation.pendingSelector(dir, "example.com"));
        assertEquals(List.of("# written by hand", "*@example.com next._domainkey.example.com",
                "*@other.example mail._domainkey.other.example"), Files.readAllLines(dir.resolve("SigningTable")));

        DkimException signing = assertThrows(DkimException.class, () -> DkimRotation.retire(dir, "example.com", "next"));
        assertTrue(signing.getMessage().contains("still signs"), signing.getMessage());
        DkimRotation.retire(dir, "example.com", "mail");
        assertFalse(Files.exists(dir.resolve("keys/example.com/mail.private")));
        assertFalse(Files.exists(dir.resolve("keys/example.com/mail.txt")));
        assertEquals(List.of("mail._domainkey.other.example other.example:mail:/etc/opendkim/keys/other.example/mail.private",
                        "next._domainkey.example.com example.com:next:/etc/opendkim/keys/example.com/next.private"),
                Files.readAllLines(dir.resolve("KeyTable")));
        assertEquals(Optional.of("mail"), DkimRotation.signingSelector(dir, "other.example"));
        assertThrows(DkimException.class, () -> DkimRotation.retire(dir, "example.com", "mail"), "already gone");
    }

    @Test
    void aPlainDomainSigningTablePatternAndNoSigningTableAtAll() throws Exception {
        DkimKeys.writeOpenDkim(dir, "example.com", "a", DkimKeys.generateRsa(1024));
        DkimKeys.writeOpenDkim(dir, "example.com", "b", DkimKeys.generateRsa(1024));
        Files.writeString(dir.resolve("SigningTable"), "example.com b._domainkey.example.com\n");
        assertEquals(Optional.of("b"), DkimRotation.signingSelector(dir, "example.com"));
        DkimRotation.start(dir, "example.com", "c", DkimKeys.generateEd25519());
        DkimRotation.confirm(dir, "example.com", "c");
        assertEquals(List.of("example.com c._domainkey.example.com"), Files.readAllLines(dir.resolve("SigningTable")));

        Files.delete(dir.resolve("SigningTable"));
        assertEquals(Optional.of("a"), DkimRotation.signingSelector(dir, "example.com"), "KeyTable order without SigningTable");
    }
}
