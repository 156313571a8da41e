package io.mailfleet.persistence.serialization;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.JSerializer;

/**
 * Pekko serializer for Mailfleet's messages, events and snapshots, bound to {@code java.lang.Record}
 * and {@code java.lang.Enum} in persistence's reference.conf. Writes no manifest: the Kryo class id
 * inside the bytes identifies the type.
 */
public final class KryoSerializer extends JSerializer {

    /** Pekko serializer id stored next to every journal row; never change it. */
    public static final int IDENTIFIER = 7417;

    private final KryoCodec codec;

    public KryoSerializer(ExtendedActorSystem system) {
        this.codec = new KryoCodec(system.settings().config(), system.dynamicAccess().classLoader(), system);
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public boolean includeManifest() {
        return false;
    }

    @Override
    public byte[] toBinary(Object o) {
        return codec.toBinary(o);
    }

    @Override
    public Object fromBinaryJava(byte[] bytes, Class<?> manifest) {
        return codec.fromBinary(bytes);
    }
}
