package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** MessageSummary is stored in the Mailbox entity's journal through Kryo, field by field. */
class SummarySerializationTest {

    /** Immutable JDK lists as persistence serialises them: size then elements, rebuilt with List.copyOf. */
    static final class ImmutableListSerializer extends Serializer<List<?>> {
        @Override
        public void write(Kryo kryo, Output output, List<?> list) {
            output.writeVarInt(list.size(), true);
            for (Object o : list) {
                kryo.writeClassAndObject(output, o);
            }
        }

        @Override
        public List<?> read(Kryo kryo, Input input, Class<? extends List<?>> type) {
            int n = input.readVarInt(true);
            List<Object> out = new ArrayList<>(n);
            for (int k = 0; k < n; k++) {
                out.add(kryo.readClassAndObject(input));
            }
            return List.copyOf(out);
        }
    }

    @Test
    void kryoRoundTripsASummaryWithEmbeddedMessage() {
        Kryo kryo = new Kryo();
        ImmutableListSerializer lists = new ImmutableListSerializer();
        kryo.register(List.of().getClass(), lists, 20);
        kryo.register(List.of(1).getClass(), lists, 21);
        kryo.register(List.of(1, 2, 3).getClass(), lists, 22);
        int id = 30;
        for (Class<?> c : List.of(MessageSummary.class, Envelope.class, Address.class, BodyPart.class,
                Param.class, Disposition.class)) {
            kryo.register(c, id++);
        }
        MessageSummary original = Msg.parse(Msg.crlf(DovecotReferenceTest.MESSAGE));
        Output out = new Output(1024, -1);
        kryo.writeObject(out, original);
        MessageSummary copy = kryo.readObject(new Input(out.toBytes()), MessageSummary.class);
        assertEquals(original, copy);
        assertEquals(ImapFormat.bodyStructure(original.body()), ImapFormat.bodyStructure(copy.body()));
    }

    @Test
    void summaryHoldsOnlyRecordsStringsPrimitivesAndLists() {
        for (Class<?> c : List.of(MessageSummary.class, Envelope.class, Address.class, BodyPart.class,
                Param.class, Disposition.class)) {
            assertTrue(c.isRecord(), c.getName());
            for (RecordComponent rc : c.getRecordComponents()) {
                assertTrue(allowed(rc.getGenericType()), c.getSimpleName() + "." + rc.getName());
            }
        }
    }

    private static boolean allowed(Type t) {
        if (t instanceof ParameterizedType p) {
            return p.getRawType() == List.class && allowed(p.getActualTypeArguments()[0]);
        }
        Class<?> c = (Class<?>) t;
        return c.isPrimitive() || c == String.class || c.isRecord() && c.getPackageName().equals("io.mailfleet.core.mime");
    }
}
