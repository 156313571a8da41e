package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;

/**
 * Actor references travel as their path string and are resolved again on the receiving side. The
 * resolver is created on first use because serializers are built while the actor system starts.
 */
final class ActorRefSerializers {

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    ActorRefSerializers(ExtendedActorSystem system) {
        this.system = system;
    }

    Serializer<ActorRef<?>> typed() {
        return new Serializer<>(false, true) {
            @Override
            public void write(Kryo kryo, Output output, ActorRef<?> ref) {
                output.writeString(resolver().toSerializationFormat(ref));
            }

            @Override
            public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
                return resolver().resolveActorRef(input.readString());
            }
        };
    }

    Serializer<org.apache.pekko.actor.ActorRef> classic() {
        return new Serializer<>(false, true) {
            @Override
            public void write(Kryo kryo, Output output, org.apache.pekko.actor.ActorRef ref) {
                requireSystem();
                output.writeString(Serialization.serializedActorPath(ref));
            }

            @Override
            public org.apache.pekko.actor.ActorRef read(Kryo kryo, Input input,
                                                        Class<? extends org.apache.pekko.actor.ActorRef> type) {
                requireSystem();
                return system.provider().resolveActorRef(input.readString());
            }
        };
    }

    private ActorRefResolver resolver() {
        ActorRefResolver r = resolver;
        if (r == null) {
            requireSystem();
            r = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = r;
        }
        return r;
    }

    private void requireSystem() {
        if (system == null) {
            throw new KryoException("actor references can only be (de)serialized inside an actor system");
        }
    }
}
