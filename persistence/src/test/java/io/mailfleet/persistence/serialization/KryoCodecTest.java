package io.mailfleet.persistence.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.mailfleet.persistence.serialization.TestTypes.Color;
import io.mailfleet.persistence.serialization.TestTypes.Sample;
import io.mailfleet.persistence.serialization.TestTypes.Unregistered;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
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

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KryoCodecTest {

    private static final KryoCodec CODEC = KryoCodec.fromDefaultConfig();

    private static Object roundTrip(Object value) {
        return CODEC.fromBinary(CODEC.toBinary(value));
    }

    @Test
    void builtInValuesRoundTrip() {
        List<Object> values = List.of("text", 42, 42L, 3.5d, 2.5f, true, (byte) 7, (short) 9, 'x',
                Instant.parse("2024-05-01T10:15:30.123456789Z"), Duration.ofMillis(1500), LocalDate.of(2024, 2, 29),
                ZonedDateTime.of(2024, 1, 1, 12, 0, 0, 0, ZoneId.of("Europe/Paris")),
                UUID.fromString("123e4567-e89b-12d3-a456-426614174000"), new BigInteger("123456789012345678901234567890"),
                new BigDecimal("12.50"), URI.create("smtp://mx.example.org:25"),
                Optional.of("x"), Optional.empty(),
                new ArrayList<>(List.of(1, 2)), new HashMap<>(Map.of("a", 1)), new LinkedHashMap<>(Map.of("b", 2)),
                new TreeMap<>(Map.of("z", 1, "a", 2)), new HashSet<>(Set.of("q")), new TreeSet<>(Set.of(3, 1, 2)));
        for (Object v : values) {
            assertEquals(v, roundTrip(v), () -> "round trip of " + v.getClass());
        }
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) roundTrip(new byte[] {1, 2, 3}));
        assertArrayEquals(new String[] {"a", null}, (String[]) roundTrip(new String[] {"a", null}));
        assertEquals(null, roundTrip(null));
    }

    @Test
    void jdkImmutableCollectionsStayImmutable() {
        List<Object> values = List.of(List.of(), List.of(1), List.of(1, 2), List.of(1, 2, 3, 4),
                List.of(1, 2, 3, 4).subList(1, 3), Set.of(), Set.of("a"), Set.of("a", "b", "c"),
                Map.of(), Map.of("k", 1), Map.of("k", 1, "l", 2, "m", 3), Stream.of("s", "t").toList());
        for (Object v : values) {
            Object back = roundTrip(v);
            assertEquals(v, back, () -> "round trip of " + v.getClass());
            assertImmutable(back);
        }
    }

    @Test
    void streamToListWithNullsKeepsItsNulls() {
        List<String> withNull = Stream.of("a", null, "c").toList();
        @SuppressWarnings("unchecked")
        List<String> back = (List<String>) roundTrip(withNull);
        assertEquals(withNull, back);
        assertTrue(back.contains(null));
        assertImmutable(back);
    }

    @Test
    void recordsWithNestedCollectionsAndEnumsRoundTrip() {
        Sample sample = new Sample("hello", 7, Long.MAX_VALUE, Instant.ofEpochSecond(1_700_000_000L),
                List.of("x", "y"), Map.of("a", 1, "b", 2), Set.of("seen", "flagged"), Optional.of("n"), Color.BLUE);
        assertEquals(sample, roundTrip(sample));
        Sample nulls = new Sample(null, 0, 0, null, List.of(), Map.of(), Set.of(), Optional.empty(), null);
        assertEquals(nulls, roundTrip(nulls));
    }

    @Test
    void enumsAreWrittenByNameIncludingConstantsWithBodies() {
        assertSame(Color.GREEN, roundTrip(Color.GREEN));
        assertSame(Color.RED, roundTrip(Color.RED));
        String bytes = new String(CODEC.toBinary(Color.BLUE), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("BLU"), "enum must be stored by name");
    }

    @Test
    void unregisteredClassFailsWithAClearMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CODEC.toBinary(new Unregistered("x")));
        assertTrue(e.getMessage().contains(Unregistered.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(KryoRegistrations.PATH), e.getMessage());
    }

    @Test
    void garbageAndTrailingBytesAreRejected() {
        byte[] good = CODEC.toBinary("hello");
        byte[] longer = Arrays.copyOf(good, good.length + 2);
        IllegalArgumentException trailing = assertThrows(IllegalArgumentException.class, () -> CODEC.fromBinary(longer));
        assertTrue(trailing.getMessage().contains("trailing"), trailing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CODEC.fromBinary(new byte[] {(byte) 0xF0, 0x7F, 0x01}));
    }

    @Test
    void codecIsSafeToShareBetweenThreads() throws Exception {
        Sample sample = new Sample("t", 1, 2, Instant.EPOCH, List.of("a"), Map.of(), Set.of(), Optional.empty(), Color.RED);
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 8; t++) {
            Thread thread = new Thread(() -> {
                try {
                    for (int i = 0; i < 2000; i++) {
                        assertEquals(sample, roundTrip(sample));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void duplicateIdNamesBothClasses() {
        Config cfg = ConfigFactory.parseString("""
                mailfleet.kryo.registrations {
                  "java.util.concurrent.atomic.AtomicLong" = 500
                  "java.util.BitSet" = 500
                }""");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KryoCodec(cfg, getClass().getClassLoader(), null));
        assertTrue(e.getMessage().contains("java.util.concurrent.atomic.AtomicLong")
                && e.getMessage().contains("java.util.BitSet") && e.getMessage().contains("500"), e.getMessage());
    }

    @Test
    void unknownClassNamesClassAndId() {
        Config cfg = ConfigFactory.parseString("mailfleet.kryo.registrations { \"io.mailfleet.Nope$Missing\" = 1234 }");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new KryoCodec(cfg, getClass().getClassLoader(), null));
        assertTrue(e.getMessage().contains("io.mailfleet.Nope$Missing") && e.getMessage().contains("1234"),
                e.getMessage());
    }

    @Test
    void reservedIdsNonIntegersAndUnquotedKeysAreRejected() {
        ClassLoader loader = getClass().getClassLoader();
        IllegalArgumentException low = assertThrows(IllegalArgumentException.class, () -> KryoRegistrations.fromConfig(
                ConfigFactory.parseString("mailfleet.kryo.registrations { \"java.util.BitSet\" = 42 }"), loader));
        assertTrue(low.getMessage().contains("reserved"), low.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> KryoRegistrations.fromConfig(
                ConfigFactory.parseString("mailfleet.kryo.registrations { \"java.util.BitSet\" = abc }"), loader));
        assertTrue(text.getMessage().contains("java.util.BitSet"), text.getMessage());
        IllegalArgumentException unquoted = assertThrows(IllegalArgumentException.class, () -> KryoRegistrations.fromConfig(
                ConfigFactory.parseString("mailfleet.kryo.registrations { java.util.BitSet = 500 }"), loader));
        assertTrue(unquoted.getMessage().contains("quote"), unquoted.getMessage());
    }

    @Test
    void configuredRegistrationsAreLoadedInIdOrder() {
        KryoRegistrations regs = CODEC.registrations();
        assertEquals(Sample.class, regs.byId().get(9002));
        List<Integer> ids = new ArrayList<>(regs.byId().keySet());
        List<Integer> sorted = new ArrayList<>(ids);
        sorted.sort(null);
        assertEquals(sorted, ids);
    }

    private static void assertImmutable(Object collection) {
        if (collection instanceof List<?> l) {
            assertThrows(UnsupportedOperationException.class, () -> ((List<Object>) l).add("x"));
        } else if (collection instanceof Set<?> s) {
            assertThrows(UnsupportedOperationException.class, () -> ((Set<Object>) s).add("x"));
        } else if (collection instanceof Map<?, ?> m) {
            assertThrows(UnsupportedOperationException.class, () -> ((Map<Object, Object>) m).put("x", "y"));
        }
        assertNotSame(null, collection);
    }
}
