package io.mailfleet.protocols.flow;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.stream.Materializer;

/**
 * The stream materializer protocol tests give their listeners, as the node's wiring does with its own:
 * one local actor system per test JVM, started on first use, with daemon threads so it never holds
 * the JVM open.
 */
public final class TestStreams {

    private static volatile Materializer materializer;

    private TestStreams() {
    }

    /** The shared test materializer. */
    public static Materializer materializer() {
        Materializer m = materializer;
        if (m == null) {
            synchronized (TestStreams.class) {
                m = materializer;
                if (m == null) {
                    ActorSystem system = ActorSystem.create("protocols-test-streams", ConfigFactory.parseString(
                            "pekko.daemonic = on\npekko.loglevel = WARNING\npekko.stdout-loglevel = WARNING\n"
                                    + "pekko.actor.provider = local")
                            .withFallback(ConfigFactory.defaultReference()));
                    m = Materializer.matFromSystem(system);
                    materializer = m;
                }
            }
        }
        return m;
    }
}
