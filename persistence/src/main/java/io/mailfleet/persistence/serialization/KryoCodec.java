package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ExtendedActorSystem;

import java.util.Map;

/**
 * Kryo with registration required and the stable id table (built-ins plus
 * {@code mailfleet.kryo.registrations}); thread-safe through a pool of Kryo instances. Usable without
 * an actor system, except for actor references.
 */
public final class KryoCodec {

    private static final int POOL_SIZE = 64;

    private final ClassLoader classLoader;
    private final KryoRegistrations registrations;
    private final ActorRefSerializers actorRefs;
    private final Pool<Kryo> pool;

    /**
     * @param system the actor system used to resolve actor references, or null outside one
     */
    public KryoCodec(Config config, ClassLoader classLoader, ExtendedActorSystem system) {
        this.classLoader = classLoader;
        this.registrations = KryoRegistrations.fromConfig(config, classLoader);
        this.actorRefs = new ActorRefSerializers(system);
        this.pool = new Pool<>(true, false, POOL_SIZE) {
            @Override
            protected Kryo create() {
                return newKryo();
            }
        };
        // build one instance now so that a registration Kryo rejects fails at start, not on first message
        pool.free(pool.obtain());
    }

    /** A codec from the application's configuration ({@code ConfigFactory.load()}), without actor system. */
    public static KryoCodec fromDefaultConfig() {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        return new KryoCodec(ConfigFactory.load(loader), loader, null);
    }

    public KryoRegistrations registrations() {
        return registrations;
    }

    public byte[] toBinary(Object value) {
        Kryo kryo = pool.obtain();
        try (Output output = new Output(256, -1)) {
            kryo.writeClassAndObject(output, value);
            return output.toBytes();
        } catch (KryoException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot serialize " + describe(value) + " with Kryo: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("not registered")
                    ? " (add it under " + KryoRegistrations.PATH + " in the module's reference.conf)" : ""), e);
        } finally {
            pool.free(kryo);
        }
    }

    public Object fromBinary(byte[] bytes) {
        Kryo kryo = pool.obtain();
        try (Input input = new Input(bytes)) {
            Object value = kryo.readClassAndObject(input);
            if (input.position() != bytes.length) {
                throw new KryoException((bytes.length - input.position()) + " trailing bytes after " + describe(value));
            }
            return value;
        } catch (KryoException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot deserialize " + bytes.length + " bytes with Kryo: "
                    + e.getMessage(), e);
        } finally {
            pool.free(kryo);
        }
    }

    private Kryo newKryo() {
        Kryo kryo = new Kryo(new ActorRefAwareClassResolver(), null);
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setClassLoader(classLoader);
        kryo.addDefaultSerializer(Enum.class, new SerializerFactory.BaseSerializerFactory<EnumNameSerializer<?>>() {
            @Override
            public EnumNameSerializer<?> newSerializer(Kryo k, Class type) {
                return new EnumNameSerializer<>(type);
            }
        });
        BuiltinRegistrations.register(kryo, actorRefs);
        for (Map.Entry<Integer, Class<?>> e : registrations.byId().entrySet()) {
            try {
                kryo.register(e.getValue(), e.getKey());
            } catch (RuntimeException ex) {
                throw new IllegalArgumentException(KryoRegistrations.PATH + ": cannot register \""
                        + e.getValue().getName() + "\" (id " + e.getKey() + "): " + ex.getMessage(), ex);
            }
        }
        return kryo;
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
