package io.mailfleet.core.dkim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DkimKeysTest {
    @Test
    void writesTheDockerMailserverLayout(@TempDir Path dir) throws Exception {
        KeyPair rsa = DkimKeys.generateRsa(2048);
        String txt = DkimKeys.writeOpenDkim(dir, "Example.com", "mail", rsa);
        assertTrue(txt.startsWith("mail._domainkey\tIN\tTXT\t( \"v=DKIM1; h=sha256; k=rsa; \"\n\t  \"p=MIIB"), txt);
        assertTrue(txt.endsWith("\" )  ; ----- DKIM key mail for example.com\n"), txt);
        for (String quoted : txt.split("\"")) {
            assertTrue(quoted.length() <= 255);
        }
        assertEquals(txt, Files.readString(dir.resolve("keys/example.com/mail.txt")));
        assertTrue(Files.readString(dir.resolve("keys/example.com/mail.private")).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertEquals("mail._domainkey.example.com example.com:mail:/etc/opendkim/keys/example.com/mail.private\n",
                Files.readString(dir.resolve("KeyTable")));
        assertEquals("*@example.com mail._domainkey.example.com\n", Files.readString(dir.resolve("SigningTable")));
        assertEquals("127.0.0.1\nlocalhost\n", Files.readString(dir.resolve("TrustedHosts")));
        assertEquals(DkimKeys.dnsRecord(rsa.getPublic()), DkimKeys.recordFromZoneFileText(txt));

        KeyPair ed = DkimKeys.generateEd25519();
        DkimKeys.writeOpenDkim(dir, "other.org", "ed", ed);
        assertEquals("127.0.0.1\nlocalhost\n", Files.readString(dir.resolve("TrustedHosts")));
        List<DkimSigningKey> keys = DkimKeys.loadOpenDkim(dir);
        assertEquals(2, keys.size());
        assertEquals("example.com", keys.get(0).domain());
        assertArrayEquals(rsa.getPrivate().getEncoded(), keys.get(0).privateKey().getEncoded());
        assertEquals(DkimAlgorithm.ED25519_SHA256, keys.get(1).algorithm());
        assertArrayEquals(ed.getPrivate().getEncoded(), keys.get(1).privateKey().getEncoded());

        DkimException again = assertThrows(DkimException.class, () -> DkimKeys.writeOpenDkim(dir, "example.com", "mail", rsa));
        assertTrue(again.getMessage().contains("already exists"));
    }

    @Test
    void ed25519RecordCarriesTheRaw32ByteKey() {
        KeyPair ed = DkimKeys.generateEd25519();
        String record = DkimKeys.dnsRecord(ed.getPublic());
        assertTrue(record.startsWith("v=DKIM1; h=sha256; k=ed25519; p="), record);
        assertEquals(32, Base64.getDecoder().decode(record.substring(record.indexOf("p=") + 2)).length);
    }

    @Test
    void readsPkcs1RsaPemAsOldOpendkimGenkeyWrote(@TempDir Path dir) throws Exception {
        KeyPair rsa = DkimKeys.generateRsa(1024);
        byte[] pkcs1 = PrivateKeyInfo.getInstance(rsa.getPrivate().getEncoded()).parsePrivateKey().toASN1Primitive().getEncoded();
        String pem = "-----BEGIN RSA PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n";
        Files.createDirectories(dir.resolve("keys/legacy.example"));
        Files.writeString(dir.resolve("keys/legacy.example/s1.private"), pem, StandardCharsets.US_ASCII);
        List<DkimSigningKey> keys = DkimKeys.loadOpenDkim(dir);
        assertEquals(1, keys.size());
        assertEquals("s1", keys.get(0).selector());
        assertArrayEquals(rsa.getPrivate().getEncoded(), keys.get(0).privateKey().getEncoded());
    }

    @Test
    void badInputGivesClearErrors(@TempDir Path dir) throws Exception {
        assertThrows(IllegalArgumentException.class, () -> DkimKeys.generateRsa(512));
        assertThrows(DkimException.class, () -> DkimKeys.fromPem("garbage"));
        assertThrows(DkimException.class, () -> DkimKeys.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n"));
        assertThrows(DkimException.class, () -> DkimKeys.fromPem("-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n"));
        Files.writeString(dir.resolve("KeyTable"), "mail._domainkey.x.org x.org:mail:/etc/opendkim/keys/x.org/mail.private\n");
        DkimException missing = assertThrows(DkimException.class, () -> DkimKeys.loadOpenDkim(dir));
        assertTrue(missing.getMessage().contains("missing"), missing.getMessage());
        Files.writeString(dir.resolve("KeyTable"), "broken-line\n");
        assertThrows(DkimException.class, () -> DkimKeys.loadOpenDkim(dir));
        assertThrows(DkimException.class, () -> DkimKeys.writeOpenDkim(dir, "../evil", "mail", DkimKeys.generateEd25519()));
        assertThrows(DkimException.class, () -> DkimKeys.recordFromZoneFileText("no quotes"));
    }
}
