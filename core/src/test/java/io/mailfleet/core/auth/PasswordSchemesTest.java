package io.mailfleet.core.auth;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PasswordSchemesTest {

    /** One line of external-hashes.txt: produced by openssl, mkpasswd, htpasswd (see generate-external-hashes.sh). */
    record Fixture(Scheme scheme, String password, String stored, String tool) {
        @Override
        public String toString() {
            return scheme + " via " + tool + " (" + password + ")";
        }
    }

    static List<Fixture> fixtures() throws IOException {
        try (InputStream in = PasswordSchemesTest.class.getResourceAsStream("/auth/external-hashes.txt")) {
            List<Fixture> out = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\\|", 4);
                out.add(new Fixture(Scheme.valueOf(f[0]), f[1], f[2], f[3]));
            }
            return out;
        }
    }

    @Test
    void fixturesCoverEverySchemeWithSeveralTools() throws IOException {
        List<Fixture> all = fixtures();
        assertTrue(all.size() > 90, "fixture count " + all.size());
        assertEquals(EnumSet.allOf(Scheme.class), all.stream().map(Fixture::scheme)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(Scheme.class))));
        Set<String> bcryptVersions = all.stream().filter(f -> f.scheme() == Scheme.BLF_CRYPT)
                .map(f -> f.stored().substring(11, 15)).collect(Collectors.toSet());
        assertEquals(Set.of("$2a$", "$2b$", "$2y$"), bcryptVersions);
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void verifiesHashesFromExternalTools(Fixture f) {
        assertTrue(PasswordSchemes.verify(f.password(), f.stored()), f.stored());
        assertEquals(f.scheme(), PasswordSchemes.schemeOf(f.stored()));
        assertTrue(PasswordSchemes.check(f.stored()).isEmpty(), () -> PasswordSchemes.check(f.stored()).get());
    }

    @ParameterizedTest
    @MethodSource("fixtures")
    void rejectsWrongPasswordsForEveryScheme(Fixture f) {
        String pw = f.password();
        List<String> wrong = new ArrayList<>(List.of("x" + pw, "wrong",
                Character.isUpperCase(pw.charAt(0)) ? pw.toLowerCase() : pw.toUpperCase()));
        boolean des = f.stored().matches("(\\{CRYPT})?[./0-9A-Za-z]{13}");
        boolean bcrypt = f.scheme() == Scheme.BLF_CRYPT;
        if (!(bcrypt && pw.length() > 72)) {
            wrong.add(pw.substring(1));
        }
        if (!(des && pw.length() >= 8) && !(bcrypt && pw.length() >= 72)) {
            wrong.add(pw + "x");
            wrong.add(pw + " ");
        }
        if (bcrypt && f.stored().contains("$10$")) {
            wrong = wrong.subList(0, 2); // 2^10 rounds per check: keep the suite fast
        }
        for (String w : wrong) {
            assertFalse(PasswordSchemes.verify(w, f.stored()), "'" + w + "' accepted by " + f.stored());
        }
        assertFalse(PasswordSchemes.verify("", f.stored()));
        assertFalse(PasswordSchemes.verify(null, f.stored()));
    }

    @Test
    void toolTruncationsAreReproduced() throws IOException {
        // DES uses the first 8 characters and bcrypt the first 72 bytes, like glibc and OpenBSD.
        assertTrue(PasswordSchemes.verify("longpassXYZ", find("mkpasswd -m des -S zz").stored()));
        Fixture longBcrypt = find("80-byte password");
        assertTrue(PasswordSchemes.verify("L".repeat(72), longBcrypt.stored()));
        assertTrue(PasswordSchemes.verify("L".repeat(72) + "different", longBcrypt.stored()));
        assertFalse(PasswordSchemes.verify("L".repeat(71), longBcrypt.stored()));
    }

    @Test
    void encodingSuffixesAndHexDetection() throws IOException {
        Fixture sha512 = find("openssl passwd -6 -salt 2YpW1nYtPBs2yLYS");
        String crypt = sha512.stored().substring("{SHA512-CRYPT}".length());
        String b64 = "{SHA512-CRYPT.b64}" + Base64.getEncoder().encodeToString(crypt.getBytes(StandardCharsets.US_ASCII));
        assertTrue(PasswordSchemes.verify(sha512.password(), b64));
        assertFalse(PasswordSchemes.verify("wrong", b64));
        // SHA256 written in hex without the suffix is recognised by its length, as Dovecot does
        Fixture hex = fixtures().stream().filter(f -> f.stored().startsWith("{SHA256.HEX}")).findFirst().orElseThrow();
        String bare = "{SHA256}" + hex.stored().substring("{SHA256.HEX}".length());
        assertTrue(PasswordSchemes.verify(hex.password(), bare));
        assertTrue(PasswordSchemes.verify("secret", "{PLAIN.hex}736563726574"));
        assertTrue(PasswordSchemes.verify("secret", "{CLEAR}secret"));
    }

    @Test
    void schemeNamesAreCaseInsensitive() throws IOException {
        Fixture f = find("openssl passwd -5 -salt abcdefgh");
        String lower = "{sha256-crypt}" + f.stored().substring("{SHA256-CRYPT}".length());
        assertTrue(PasswordSchemes.verify(f.password(), lower));
    }

    @Test
    void hashDefaultsToSha512CryptLikeSetup() {
        String h = PasswordSchemes.hash("s3cret!");
        assertTrue(h.matches("\\{SHA512-CRYPT}\\$6\\$[./0-9A-Za-z]{16}\\$[./0-9A-Za-z]{86}"), h);
        assertTrue(PasswordSchemes.verify("s3cret!", h));
        assertFalse(PasswordSchemes.verify("s3cret", h));
        assertNotEquals(h, PasswordSchemes.hash("s3cret!"), "salts must be random");
        assertEquals(Scheme.SHA512_CRYPT, PasswordSchemes.schemeOf(h));
    }

    @Test
    void hashWithRounds() {
        String h = PasswordSchemes.hash("pässwörd", Scheme.SHA512_CRYPT, 6000);
        assertTrue(h.startsWith("{SHA512-CRYPT}$6$rounds=6000$"), h);
        assertTrue(PasswordSchemes.verify("pässwörd", h));
        String s = PasswordSchemes.hash("pässwörd", Scheme.SHA256_CRYPT);
        assertTrue(s.startsWith("{SHA256-CRYPT}$5$") && !s.contains("rounds="), s);
        assertTrue(PasswordSchemes.verify("pässwörd", s));
        assertThrows(IllegalArgumentException.class, () -> PasswordSchemes.hash("x", Scheme.SHA512_CRYPT, 999));
    }

    @Test
    void hashBlfCryptWithConfigurableCost() {
        String h = PasswordSchemes.hash("correct horse", Scheme.BLF_CRYPT, 5);
        assertTrue(h.startsWith("{BLF-CRYPT}$2y$05$"), h);
        assertTrue(PasswordSchemes.verify("correct horse", h));
        assertFalse(PasswordSchemes.verify("correct horsE", h));
        assertTrue(PasswordSchemes.hash("x", Scheme.BLF_CRYPT).startsWith("{BLF-CRYPT}$2y$10$"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PasswordSchemes.hash("x", Scheme.BLF_CRYPT, 3));
        assertTrue(e.getMessage().contains("4..31"));
    }

    @Test
    void hashSsha512() {
        String h = PasswordSchemes.hash("secret", Scheme.SSHA512);
        assertTrue(h.startsWith("{SSHA512}"));
        assertEquals(64 + 16, Base64.getDecoder().decode(h.substring(9)).length);
        assertTrue(PasswordSchemes.verify("secret", h));
        assertFalse(PasswordSchemes.verify("Secret", h));
        assertThrows(IllegalArgumentException.class, () -> PasswordSchemes.hash("x", Scheme.SSHA512, 5));
    }

    @Test
    void refusesEmptyPasswordsAndWeakSchemesWhenHashing() {
        assertEquals("Password must not be empty",
                assertThrows(IllegalArgumentException.class, () -> PasswordSchemes.hash("")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> PasswordSchemes.hash(null));
        for (Scheme weak : List.of(Scheme.CRYPT, Scheme.MD5_CRYPT, Scheme.PLAIN, Scheme.SHA)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PasswordSchemes.hash("x", weak));
            assertTrue(e.getMessage().contains(weak.prefix()), e.getMessage());
        }
    }

    @Test
    void emptyPasswordNeverVerifiesEvenAgainstEmptyPlain() {
        assertFalse(PasswordSchemes.verify("", "{PLAIN.b64}"  + "AA=="));
        assertFalse(PasswordSchemes.verify("", "{PLAIN} "));
        assertThrows(PasswordHashException.class, () -> PasswordSchemes.verify("", "{PLAIN}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$abc$def", "{FOO.b64}abc", "{PBKDF2}x"})
    void unknownSchemeIsNamed(String stored) {
        String name = stored.substring(1, stored.indexOf('}'));
        UnknownSchemeException e = assertThrows(UnknownSchemeException.class, () -> PasswordSchemes.verify("x", stored));
        assertTrue(e.getMessage().contains("{" + name + "}"), e.getMessage());
        assertEquals(name, e.scheme());
        assertTrue(PasswordSchemes.check(stored).orElseThrow().contains(name));
    }

    @Test
    void malformedHashesGiveClearErrors() {
        assertMalformed("{SHA512-CRYPT}$5$abc$def", "should start with $6$");
        assertMalformed("{SHA512-CRYPT}$6$", "malformed {SHA512-CRYPT}");
        assertMalformed("{BLF-CRYPT}$2y$10$short", "53 characters");
        assertMalformed("{BLF-CRYPT}$2y$99$" + "a".repeat(53), "cost 99");
        assertMalformed("{CRYPT}$y$j9T$F5Jx5fExrKuPp53xLKQ..1$X3DX6M94c7o.9agCG9G317fhZg9SqC.5i5rd.RhAtQ7", "yescrypt");
        assertMalformed("{CRYPT}$9$abc", "unsupported algorithm prefix '$9$'");
        assertMalformed("{CRYPT}abc", "13 DES");
        assertMalformed("abc!defghijkl", "13 DES");
        assertMalformed("{SSHA}!!notbase64", "not valid base64");
        assertMalformed("{SSHA}" + Base64.getEncoder().encodeToString(new byte[20]), "more than 20");
        assertMalformed("{SHA512}" + Base64.getEncoder().encodeToString(new byte[10]), "expected 64");
        assertMalformed("{SSHA512.hex}zz", "not valid hex");
        assertMalformed("{SHA512-CRYPT", "no closing '}'");
        assertMalformed("", "empty password hash");
        assertMalformed("{SSHA}", "empty {SSHA}");
        assertThrows(PasswordHashException.class, () -> PasswordSchemes.verify("x", null));
    }

    private static void assertMalformed(String stored, String expected) {
        PasswordHashException e = assertThrows(PasswordHashException.class, () -> PasswordSchemes.verify("x", stored));
        assertTrue(e.getMessage().contains(expected), stored + " -> " + e.getMessage());
        assertEquals(e.getMessage(), PasswordSchemes.check(stored).orElseThrow());
    }

    @Test
    void storedHashRoundTrip() {
        StoredHash h = StoredHash.parse("{SSHA512.HEX}abcd");
        assertEquals(Scheme.SSHA512, h.scheme());
        assertEquals(StoredHash.Encoding.HEX, h.encoding());
        assertEquals("{SSHA512.hex}abcd", h.format());
        assertEquals(Scheme.CRYPT, StoredHash.parse("$6$abc").scheme());
        assertEquals("{CRYPT}$6$abc", StoredHash.parse("$6$abc").format());
    }

    private static Fixture find(String toolPart) throws IOException {
        return fixtures().stream().filter(f -> f.tool().contains(toolPart)).findFirst().orElseThrow();
    }
}
