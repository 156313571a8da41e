package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Writes enum constants by name rather than ordinal, so reordering or adding constants never changes
 * the meaning of stored events.
 */
final class EnumNameSerializer<E extends Enum<E>> extends Serializer<E> {

    private final Class<E> enumType;

    @SuppressWarnings("unchecked")
    EnumNameSerializer(Class<?> type) {
        super(false, true);
        Class<?> t = type;
        while (t != null && !t.isEnum()) {
            t = t.getSuperclass();
        }
        if (t == null) {
            throw new IllegalArgumentException(type.getName() + " is not an enum");
        }
        this.enumType = (Class<E>) t;
    }

    @Override
    public void write(Kryo kryo, Output output, E value) {
        output.writeString(value.name());
    }

    @Override
    public E read(Kryo kryo, Input input, Class<? extends E> type) {
        String name = input.readString();
        try {
            return Enum.valueOf(enumType, name);
        } catch (IllegalArgumentException e) {
            throw new KryoException("enum " + enumType.getName() + " has no constant '" + name + "'", e);
        }
    }
}
