package io.mailfleet.persistence.serialization;

import com.typesafe.config.ConfigFactory;
import io.mailfleet.persistence.serialization.TestTypes.Color;
import io.mailfleet.persistence.serialization.TestTypes.Sample;
import io.mailfleet.persistence.serialization.TestTypes.WithClassicRef;
import io.mailfleet.persistence.serialization.TestTypes.WithRef;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The serializer as Pekko uses it: bindings, actor references, Java serialization disabled. */
class KryoSerializerTest {

    private static ActorTestKit testKit;
    private static Serialization serialization;

    /** Serializable but neither a record nor an enum: nothing may pick Java serialization for it. */
    static final class LegacyMessage implements Serializable {
    }

    @BeforeAll
    static void start() {
        testKit = ActorTestKit.create("kryo", ConfigFactory.load());
        serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
    }

    @AfterAll
    static void stop() {
        testKit.shutdownTestKit();
    }

    private static Object roundTrip(Object message) {
        Serializer serializer = serialization.findSerializerFor(message);
        assertInstanceOf(KryoSerializer.class, serializer, () -> "serializer for " + message.getClass());
        byte[] bytes = serialization.serialize(message).get();
        String manifest = Serializers.manifestFor(serializer, message);
        assertEquals("", manifest);
        return serialization.deserialize(bytes, serializer.identifier(), manifest).get();
    }

    @Test
    void recordsAndEnumsAreBoundToKryo() {
        Sample sample = new Sample("hi", 1, 2, Instant.EPOCH, List.of("a"), Map.of("k", 1), Set.of("f"),
                Optional.of("n"), Color.GREEN);
        assertEquals(sample, roundTrip(sample));
        assertEquals(Color.BLUE, roundTrip(Color.BLUE));
        assertEquals(KryoSerializer.IDENTIFIER, serialization.findSerializerFor(sample).identifier());
    }

    @Test
    void typedActorRefsResolveToTheSameActor() {
        TestProbe<String> probe = testKit.createTestProbe();
        WithRef back = (WithRef) roundTrip(new WithRef("ping", probe.ref()));
        assertEquals(probe.ref(), back.replyTo());
        back.replyTo().tell("pong");
        probe.expectMessage("pong");

        var spawned = testKit.spawn(Behaviors.<String>receiveMessage(m -> {
            probe.ref().tell("got " + m);
            return Behaviors.same();
        }));
        WithRef viaSpawned = (WithRef) roundTrip(new WithRef("x", spawned));
        viaSpawned.replyTo().tell("hello");
        probe.expectMessage("got hello");
    }

    @Test
    void classicActorRefsResolveToTheSameActor() {
        TestProbe<String> probe = testKit.createTestProbe();
        org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(probe.ref());
        WithClassicRef back = (WithClassicRef) roundTrip(new WithClassicRef(classic));
        assertEquals(classic, back.ref());
        back.ref().tell("classic", org.apache.pekko.actor.ActorRef.noSender());
        probe.expectMessage("classic");
    }

    @Test
    void javaSerializationIsOff() {
        assertTrue(serialization.serialize(new LegacyMessage()).isFailure(),
                "a Serializable class without binding must not be serialized with Java serialization");
        assertEquals("off", testKit.system().settings().config().getString("pekko.actor.allow-java-serialization"));
    }
}
