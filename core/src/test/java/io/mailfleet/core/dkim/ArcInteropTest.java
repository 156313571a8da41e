package io.mailfleet.core.dkim;

import io.mailfleet.core.dns.AsyncDnsResolver;
import io.mailfleet.core.dns.LoopbackDnsServer;
import io.mailfleet.core.dns.ResolverSettings;
import io.mailfleet.testkit.ExternalTool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ARC in both directions against a third-party implementation, Debian's dkimpy (python3-dkim with
 * python3-authres): chains Mailfleet seals (one and two hops, 2048- and 1024-bit RSA) validate as cv=pass in
 * dkimpy, chains dkimpy seals (one hop, and a dkimpy hop on top of a Mailfleet one) validate as pass in
 * Mailfleet, and a body changed afterwards fails on both sides.
 */
class ArcInteropTest {

    private static final String MESSAGE = "From: Alice <alice@origin.test>\r\nTo: list@hop1.test\r\n"
            + "Subject: interop  chain\r\nDate: Mon, 7 Dec 2026 02:00:00 +0000\r\nMessage-ID: <2@origin.test>\r\n\r\n"
            + "Hello list,   \r\n\r\n  spaces\tand tabs.\r\n";

    @TempDir
    static Path dir;
    private static Path python;
    private static Path script;
    private static LoopbackDnsServer server;
    private static AsyncDnsResolver dns;
    private static final List<String> records = new ArrayList<>();
    private static DkimSigningKey rsa;
    private static DkimSigningKey second;
    private static Path pyKey;

    @BeforeAll
    static void setUp() throws Exception {
        Path dkimverify = ExternalTool.require("dkimverify", "python3-dkim");
        String shebang = Files.readAllLines(dkimverify).get(0);
        python = Path.of(shebang.substring(2).trim().split(" ")[0]);
        script = dir.resolve("arcpy.py");
        try (var in = ArcInteropTest.class.getResourceAsStream("/dkim/arcpy.py")) {
            Files.write(script, in.readAllBytes());
        }
        // dkimpy's ARC signing parses Authentication-Results with python3-authres (no command of its own)
        Process check = new ProcessBuilder(python.toString(), "-c", "import authres").redirectErrorStream(true).start();
        assertTrue(check.waitFor(60, TimeUnit.SECONDS) && check.exitValue() == 0,
                "python3-authres is not installed (scripts/install-test-tools.sh installs it)");
        server = new LoopbackDnsServer();
        KeyPair r = DkimKeys.generateRsa(2048);
        KeyPair e = DkimKeys.generateRsa(1024);
        KeyPair p = DkimKeys.generateRsa(2048);
        rsa = new DkimSigningKey("hop1.test", "mf", r.getPrivate());
        second = new DkimSigningKey("hop2.test", "mf2", e.getPrivate());
        pyKey = dir.resolve("py.pem");
        Files.writeString(pyKey, DkimKeys.toPem(p.getPrivate()));
        publish("mf._domainkey.hop1.test", DkimKeys.dnsRecord(r.getPublic()));
        publish("mf2._domainkey.hop2.test", DkimKeys.dnsRecord(e.getPublic()));
        publish("py._domainkey.lists.test", DkimKeys.dnsRecord(p.getPublic()));
        Files.write(dir.resolve("records.txt"), records);
        dns = new AsyncDnsResolver(ResolverSettings.of(server.address(), Duration.ofSeconds(2)));
    }

    private static void publish(String name, String record) {
        ArcChainTest.publish(server, name, record);
        records.add(name + " " + record);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private record Run(int exit, String out) {
    }

    private static Run python(String stdin, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(python.toString(), script.toString()));
        cmd.addAll(Arrays.asList(args));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (var out = p.getOutputStream()) {
            out.write(stdin.getBytes(StandardCharsets.ISO_8859_1));
        }
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "dkimpy did not finish");
        return new Run(p.exitValue(), new String(output, StandardCharsets.ISO_8859_1));
    }

    private static Run dkimpyValidates(String message) throws Exception {
        return python(message, "verify", dir.resolve("records.txt").toString());
    }

    private static String dkimpySeals(String results, String message) throws Exception {
        Run r = python("Authentication-Results: lists.test; " + results + "\r\n" + message, "sign", "py", "lists.test",
                pyKey.toString(), "lists.test");
        assertEquals(0, r.exit(), r.out());
        return r.out().replaceAll("\r?\n", "\r\n");
    }

    @Test
    void chainsMailfleetSealsPassDkimpy() throws Exception {
        String one = ArcChainTest.seal(rsa, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        Run r1 = dkimpyValidates(one);
        assertEquals(0, r1.exit(), r1.out());
        assertTrue(r1.out().startsWith("cv=pass"), r1.out());
        String two = ArcChainTest.seal(second, "arc=pass", one);
        Run r2 = dkimpyValidates(two);
        assertEquals(0, r2.exit(), r2.out());
        Run changed = dkimpyValidates(two.replace("spaces\tand", "spaces and more"));
        assertEquals(1, changed.exit(), changed.out());
        assertTrue(changed.out().startsWith("cv=fail"), changed.out());
    }

    @Test
    void chainsDkimpySealsPassMailfleet() throws Exception {
        String one = dkimpySeals("spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        assertTrue(one.startsWith("ARC-Seal: "), one);
        ArcResult r1 = ArcChainTest.verify(dns, one);
        assertEquals(ArcResult.Status.PASS, r1.status(), r1.detail());
        assertEquals("lists.test", r1.sets().get(0).sealer());
        assertTrue(r1.sets().get(0).results().contains("spf=pass"), r1.sets().get(0).results());

        // dkimpy continues a chain Mailfleet started, and Mailfleet validates the whole of it
        String mine = ArcChainTest.seal(rsa, "spf=pass smtp.mailfrom=alice@origin.test", MESSAGE);
        String onTop = dkimpySeals("arc=pass", mine);
        ArcResult r2 = ArcChainTest.verify(dns, onTop);
        assertEquals(ArcResult.Status.PASS, r2.status(), r2.detail());
        assertEquals(List.of("hop1.test", "lists.test"), r2.sets().stream().map(ArcResult.ArcSet::sealer).toList());

        ArcResult changed = ArcChainTest.verify(dns, one.replace("spaces\tand", "spaces and more"));
        assertEquals(ArcResult.Status.FAIL, changed.status());
    }
}
