package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Serializers for the JDK's hidden immutable collections ({@code List.of}, {@code Set.of},
 * {@code Map.of}, {@code Stream.toList}): elements are written one by one and read back into a new
 * immutable collection, so no reflective access to JDK internals is needed.
 */
final class ImmutableCollectionSerializers {

    private ImmutableCollectionSerializers() {
    }

    private static void writeElements(Kryo kryo, Output output, Collection<?> values) {
        output.writeVarInt(values.size(), true);
        for (Object v : values) {
            kryo.writeClassAndObject(output, v);
        }
    }

    private static Object[] readElements(Kryo kryo, Input input) {
        Object[] values = new Object[input.readVarInt(true)];
        for (int i = 0; i < values.length; i++) {
            values[i] = kryo.readClassAndObject(input);
        }
        return values;
    }

    /** Lists; a list that contained nulls (only possible from {@code Stream.toList}) stays null-tolerant. */
    static final class ListSerializer extends Serializer<List<?>> {
        ListSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            writeElements(kryo, output, list);
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            Object[] values = readElements(kryo, input);
            boolean hasNull = Arrays.stream(values).anyMatch(v -> v == null);
            return hasNull ? Arrays.stream(values).toList() : List.of(values);
        }
    }

    static final class SetSerializer extends Serializer<Set<?>> {
        SetSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Set<?> set) {
            writeElements(kryo, output, set);
        }

        @Override
        public Set<?> read(Kryo kryo, Input input, Class<? extends Set<?>> type) {
            return Set.of(readElements(kryo, input));
        }
    }

    static final class MapSerializer extends Serializer<Map<?, ?>> {
        MapSerializer() {
            super(false, true);
        }

        @Override
        public void write(Kryo kryo, Output output, Map<?, ?> map) {
            output.writeVarInt(map.size(), true);
            for (Map.Entry<?, ?> e : map.entrySet()) {
                kryo.writeClassAndObject(output, e.getKey());
                kryo.writeClassAndObject(output, e.getValue());
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public Map<?, ?> read(Kryo kryo, Input input, Class<? extends Map<?, ?>> type) {
            int size = input.readVarInt(true);
            Map.Entry<Object, Object>[] entries = new Map.Entry[size];
            for (int i = 0; i < size; i++) {
                Object key = kryo.readClassAndObject(input);
                Object value = kryo.readClassAndObject(input);
                entries[i] = Map.entry(key, value);
            }
            return Map.ofEntries(entries);
        }
    }
}
