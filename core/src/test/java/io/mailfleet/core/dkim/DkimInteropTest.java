package io.mailfleet.core.dkim;

import io.mailfleet.testkit.ExternalTool;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DKIM in both directions against a third-party implementation, Debian's dkimpy (python3-dkim): mail it
 * signs (rsa-sha256 and ed25519-sha256, relaxed and simple, with l=) passes Mailfleet's streaming
 * verifier, and mail Mailfleet's outbound signer signs passes dkimpy; a changed body fails on both sides.
 */
class DkimInteropTest {

    private static final String MESSAGE = "From: Alice <alice@interop.test>\r\nTo: bob@example.com\r\n"
            + "Subject: interop  test\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\n\r\n"
            + "Hello Bob,   \r\n\r\n  spaces\tand tabs stay.\r\n\r\n\r\n";

    @TempDir
    static Path dir;
    private static Path python;
    private static Path script;

    @BeforeAll
    static void tool() throws IOException {
        Path dkimverify = ExternalTool.require("dkimverify", "python3-dkim");
        // the interpreter dkimpy is installed for (the first line of its command), not a PATH python
        String shebang = Files.readAllLines(dkimverify).get(0);
        python = Path.of(shebang.substring(2).trim().split(" ")[0]);
        script = dir.resolve("dkimpy.py");
        try (var in = DkimInteropTest.class.getResourceAsStream("/dkim/dkimpy.py")) {
            Files.write(script, in.readAllBytes());
        }
    }

    private record Run(int exit, String out) {
    }

    private static Run python(byte[] stdin, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(python.toString(), script.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try (var out = p.getOutputStream()) {
            out.write(stdin);
        }
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dkimpy did not finish");
        return new Run(p.exitValue(), new String(output, StandardCharsets.ISO_8859_1));
    }

    private static List<DkimResult> mailfleetVerifies(String message, String keyName, String record) {
        return DkimStreamingVerificationTest.verify(message,
                new DkimStreamingVerificationTest.Keys(Map.of(keyName, record)), 13, 5);
    }

    private static String dkimpySigns(Path key, String alg, String canon, boolean length) throws Exception {
        Run r = python(MESSAGE.getBytes(StandardCharsets.US_ASCII), "sign", "sel", "interop.test", key.toString(), alg,
                canon, length ? "1" : "0");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().startsWith("DKIM-Signature: "), r.out());
        return r.out().replaceAll("\r?\n", "\r\n");
    }

    @Test
    void mailSignedByDkimpyPassesMailfleet() throws Exception {
        KeyPair rsa = DkimKeys.generateRsa(2048);
        Path rsaKey = dir.resolve("rsa.pem");
        Files.writeString(rsaKey, DkimKeys.toPem(rsa.getPrivate()));
        KeyPair ed = DkimKeys.generateEd25519();
        Path edKey = dir.resolve("ed.key");
        byte[] pkcs8 = ed.getPrivate().getEncoded();
        // dkimpy reads an Ed25519 private key as the base64 of its 32-byte seed (the end of the PKCS#8 form)
        Files.writeString(edKey, Base64.getEncoder().encodeToString(Arrays.copyOfRange(pkcs8, pkcs8.length - 32,
                pkcs8.length)));
        String name = "sel._domainkey.interop.test";
        for (String canon : List.of("relaxed/relaxed", "simple/simple", "relaxed/simple", "simple/relaxed")) {
            for (boolean rsaAlg : new boolean[] {true, false}) {
                String field = dkimpySigns(rsaAlg ? rsaKey : edKey, rsaAlg ? "rsa-sha256" : "ed25519-sha256", canon,
                        false);
                String record = DkimKeys.dnsRecord((rsaAlg ? rsa : ed).getPublic());
                List<DkimResult> r = mailfleetVerifies(field + MESSAGE, name, record);
                assertEquals(DkimResult.Status.PASS, r.get(0).status(), canon + " " + r);
                List<DkimResult> changed = mailfleetVerifies(field + MESSAGE.replace("Hello Bob", "Hello Eve"), name,
                        record);
                assertEquals(DkimResult.Status.FAIL, changed.get(0).status(), canon + " " + changed);
            }
        }
        // l=: text appended below the signed length still passes, and the limit is reported
        String field = dkimpySigns(rsaKey, "rsa-sha256", "relaxed/relaxed", true);
        List<DkimResult> appended = mailfleetVerifies(field + MESSAGE + "-- \r\nappended by a list\r\n", name,
                DkimKeys.dnsRecord(rsa.getPublic()));
        assertEquals(DkimResult.Status.PASS, appended.get(0).status(), appended.toString());
        assertTrue(appended.get(0).bodyLength() > 0, appended.toString());
    }

    @Test
    void mailSignedByMailfleetPassesDkimpy() throws Exception {
        for (KeyPair pair : List.of(DkimKeys.generateRsa(2048), DkimKeys.generateEd25519())) {
            DkimSigner signer = new DkimSigner(new DkimSigningKey("interop.test", "mf", pair.getPrivate()),
                    Clock.systemUTC());
            String field = signer.sign(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.US_ASCII)));
            Path record = dir.resolve("record-" + pair.getPublic().getAlgorithm() + ".txt");
            Files.writeString(record, DkimKeys.dnsRecord(pair.getPublic()));
            Run ok = python((field + MESSAGE).getBytes(StandardCharsets.US_ASCII), "verify",
                    "mf._domainkey.interop.test", record.toString());
            assertEquals(new Run(0, "pass\n"), ok, pair.getPublic().getAlgorithm());
            Run changed = python((field + MESSAGE.replace("Hello Bob", "Hello Eve")).getBytes(StandardCharsets.US_ASCII),
                    "verify", "mf._domainkey.interop.test", record.toString());
            assertEquals(new Run(1, "fail\n"), changed, pair.getPublic().getAlgorithm());
        }
    }
}
