package io.mailfleet.persistence.serialization;

import io.mailfleet.core.blob.BlobRef;
import io.mailfleet.core.directory.Account;
import io.mailfleet.core.directory.DomainDirectory;
import io.mailfleet.core.directory.RegexAlias;
import io.mailfleet.core.queue.Envelope;
import io.mailfleet.core.queue.EnvelopeRecipient;
import io.mailfleet.persistence.serialization.TestTypes.Color;
import io.mailfleet.persistence.serialization.TestTypes.Sample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stored bytes of every built-in registration and of core records must keep loading. */
class GoldenBytesTest {

    private static final KryoCodec CODEC = KryoCodec.fromDefaultConfig();

    @TempDir
    Path tmp;

    static Map<String, Object> builtins() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("string", "héllo wörld");
        v.put("int", 123456);
        v.put("long", -9_876_543_210L);
        v.put("boolean", Boolean.TRUE);
        v.put("double", 2.75d);
        v.put("byte-array", new byte[] {0, 1, -1, 127});
        v.put("string-array", new String[] {"a", "b"});
        v.put("instant", Instant.parse("2024-05-01T10:15:30.123Z"));
        v.put("duration", Duration.ofSeconds(90, 5));
        v.put("local-date", LocalDate.of(2024, 2, 29));
        v.put("uuid", UUID.fromString("123e4567-e89b-12d3-a456-426614174000"));
        v.put("big-decimal", new BigDecimal("1234.5678"));
        v.put("uri", URI.create("imap://mail.example.org"));
        v.put("optional", Optional.of("present"));
        v.put("optional-empty", Optional.empty());
        v.put("array-list", new ArrayList<>(List.of("x", "y")));
        v.put("hash-map", new HashMap<>(Map.of("k", 1L)));
        v.put("linked-hash-map", new LinkedHashMap<>(Map.of("k", "v")));
        v.put("tree-map", new TreeMap<>(Map.of("b", 2, "a", 1)));
        v.put("hash-set", new HashSet<>(Set.of("s")));
        v.put("tree-set", new TreeSet<>(Set.of("b", "a")));
        v.put("list12", List.of("one"));
        v.put("listN", List.of("a", "b", "c"));
        v.put("list-empty", List.of());
        v.put("sublist", List.of(1, 2, 3, 4).subList(1, 3));
        v.put("stream-tolist", Stream.of("p", "q").toList());
        v.put("set12", Set.of("x", "y"));
        v.put("setN", Set.of("a", "b", "c"));
        v.put("map1", Map.of("k", "v"));
        v.put("mapN", Map.of("a", 1, "b", 2, "c", 3));
        v.put("enum", Color.GREEN);
        return v;
    }

    @Test
    void builtInRegistrationsStillLoad() {
        builtins().forEach((name, value) -> GoldenBytes.verify(CODEC, value, "golden/builtin/" + name + ".b64"));
    }

    @Test
    void testRecordStillLoads() {
        Sample sample = new Sample("golden", 42, 1L << 40, Instant.parse("2024-01-02T03:04:05Z"), List.of("t1", "t2"),
                Map.of("a", 1), Set.of("\\Seen"), Optional.empty(), Color.RED);
        GoldenBytes.verify(CODEC, sample, "golden/test/sample.b64");
    }

    @Test
    void coreRecordsStillLoad() {
        Account alice = new Account("alice@example.org", "{SHA512-CRYPT}$6$salt$hash");
        DomainDirectory dir = new DomainDirectory("example.org",
                Map.of("alice@example.org", alice, "bob@example.org", new Account("bob@example.org", "{PLAIN}x")),
                Map.of("postmaster@example.org", List.of("alice@example.org"), "@example.org", List.of("bob@example.org")),
                Map.of("alice@example.org", 1_073_741_824L),
                Set.of("bob@example.org"), Set.of());
        Envelope envelope = new Envelope("sender@remote.example", List.of(EnvelopeRecipient.of("alice@example.org"),
                new EnvelopeRecipient("bob@example.org", "SUCCESS,FAILURE", "rfc822;bob@example.org")),
                "mx.remote.example", "192.0.2.10", null, false, "HDRS", "env-1", "8BITMIME", true,
                Instant.parse("2024-06-01T12:00:00Z"));
        GoldenBytes.verify(CODEC, alice, "golden/core/account.b64");
        GoldenBytes.verify(CODEC, dir, "golden/core/domain-directory.b64");
        GoldenBytes.verify(CODEC, DomainDirectory.empty("empty.example"), "golden/core/domain-directory-empty.b64");
        GoldenBytes.verify(CODEC, new BlobRef("0123456789abcdefghijklmnop", 1234,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"), "golden/core/blob-ref.b64");
        GoldenBytes.verify(CODEC, envelope, "golden/core/envelope.b64");
        GoldenBytes.verify(CODEC, new RegexAlias("/^(.*)@example\\.org$/", List.of("catch@example.org")),
                "golden/core/regex-alias.b64");
    }

    @Test
    void recordsWhenAbsentThenVerifiesAndDetectsChanges() throws Exception {
        Account a = new Account("a@example.org", "{PLAIN}1");
        String strict = System.getProperty("mailfleet.golden.strict");
        // Recording is what non-strict mode is for; the build runs strict, so switch it off here only.
        System.setProperty("mailfleet.golden.strict", "false");
        try {
            assertEquals(GoldenBytes.Outcome.RECORDED, GoldenBytes.verify(CODEC, a, "x/a.b64", tmp));
        } finally {
            if (strict == null) {
                System.clearProperty("mailfleet.golden.strict");
            } else {
                System.setProperty("mailfleet.golden.strict", strict);
            }
        }
        if (Boolean.parseBoolean(strict)) {
            Path other = tmp.resolve("y");
            assertThrows(AssertionError.class, () -> GoldenBytes.verify(CODEC, a, "y/missing.b64", other),
                    "strict mode refuses a missing golden file");
        }
        Path file = tmp.resolve("x/a.b64");
        assertTrue(Files.readString(file).startsWith("# Kryo golden bytes of " + Account.class.getName()));
        assertEquals(GoldenBytes.Outcome.VERIFIED, GoldenBytes.verify(CODEC, a, "x/a.b64", tmp));

        AssertionError changed = assertThrows(AssertionError.class,
                () -> GoldenBytes.verify(CODEC, new Account("a@example.org", "{PLAIN}2"), "x/a.b64", tmp));
        assertTrue(changed.getMessage().contains("x/a.b64") && changed.getMessage().contains("{PLAIN}1"),
                changed.getMessage());

        Files.writeString(file, "# broken\nAAAA\n");
        AssertionError broken = assertThrows(AssertionError.class, () -> GoldenBytes.verify(CODEC, a, "x/a.b64", tmp));
        assertTrue(broken.getMessage().contains("no longer deserialize"), broken.getMessage());

        Files.writeString(file, "not base64 !!!\n");
        AssertionError garbage = assertThrows(AssertionError.class, () -> GoldenBytes.verify(CODEC, a, "x/a.b64", tmp));
        assertTrue(garbage.getMessage().contains("base64"), garbage.getMessage());
    }
}
