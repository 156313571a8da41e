package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

/**
 * The fixed registration table for JDK types, ids below {@link #FIRST_CONFIGURED_ID}. Ids here are
 * part of the stored format: never change or reuse one, only append. Kryo itself owns 0-9 (the
 * primitives, their wrappers and String).
 */
final class BuiltinRegistrations {

    /** The lowest id a module may use in {@code mailfleet.kryo.registrations}. */
    static final int FIRST_CONFIGURED_ID = 100;

    private BuiltinRegistrations() {
    }

    static void register(Kryo kryo, ActorRefSerializers actorRefs) {
        kryo.register(byte[].class, 10);
        kryo.register(char[].class, 11);
        kryo.register(short[].class, 12);
        kryo.register(int[].class, 13);
        kryo.register(long[].class, 14);
        kryo.register(float[].class, 15);
        kryo.register(double[].class, 16);
        kryo.register(boolean[].class, 17);
        kryo.register(String[].class, 18);
        kryo.register(Object[].class, 19);

        kryo.register(Instant.class, 20);
        kryo.register(Duration.class, 21);
        kryo.register(LocalDate.class, 22);
        kryo.register(LocalDateTime.class, 23);
        kryo.register(LocalTime.class, 24);
        kryo.register(ZonedDateTime.class, 25);
        kryo.register(OffsetDateTime.class, 26);
        kryo.register(ZoneOffset.class, 27);
        kryo.register(ZoneId.of("Europe/Paris").getClass(), 28);

        kryo.register(UUID.class, new DefaultSerializers.UUIDSerializer(), 30);
        kryo.register(BigInteger.class, 31);
        kryo.register(BigDecimal.class, 32);
        kryo.register(URI.class, new DefaultSerializers.URISerializer(), 33);
        kryo.register(Optional.class, 34);
        kryo.register(OptionalInt.class, 35);
        kryo.register(OptionalLong.class, 36);

        kryo.register(ArrayList.class, 40);
        kryo.register(LinkedList.class, 41);
        kryo.register(ArrayDeque.class, 42);
        kryo.register(HashMap.class, 43);
        kryo.register(LinkedHashMap.class, 44);
        kryo.register(TreeMap.class, 45);
        kryo.register(HashSet.class, 46);
        kryo.register(LinkedHashSet.class, 47);
        kryo.register(TreeSet.class, 48);

        var lists = new ImmutableCollectionSerializers.ListSerializer();
        var sets = new ImmutableCollectionSerializers.SetSerializer();
        var maps = new ImmutableCollectionSerializers.MapSerializer();
        kryo.register(List.of(1).getClass(), lists, 50);               // ImmutableCollections.List12
        kryo.register(List.of(1, 2, 3).getClass(), lists, 51);         // ImmutableCollections.ListN
        kryo.register(List.of(1, 2, 3).subList(0, 2).getClass(), lists, 52); // ImmutableCollections.SubList
        kryo.register(Set.of(1).getClass(), sets, 53);                 // ImmutableCollections.Set12
        kryo.register(Set.of(1, 2, 3).getClass(), sets, 54);           // ImmutableCollections.SetN
        kryo.register(Map.of(1, 1).getClass(), maps, 55);              // ImmutableCollections.Map1
        kryo.register(Map.of(1, 1, 2, 2).getClass(), maps, 56);        // ImmutableCollections.MapN

        kryo.register(Collections.emptyList().getClass(), 60);
        kryo.register(Collections.emptySet().getClass(), 61);
        kryo.register(Collections.emptyMap().getClass(), 62);
        kryo.register(Collections.singletonList(1).getClass(), 63);
        kryo.register(Collections.singleton(1).getClass(), 64);
        kryo.register(Collections.singletonMap(1, 1).getClass(), 65);

        kryo.register(org.apache.pekko.actor.typed.ActorRef.class, actorRefs.typed(), 70);
        kryo.register(org.apache.pekko.actor.ActorRef.class, actorRefs.classic(), 71);
    }
}
