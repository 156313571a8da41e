package io.mailfleet.persistence.serialization;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Maps every implementation of the typed and classic {@code ActorRef} (local, repointable, remote,
 * adapters, promise refs...) to the registration of its interface, so one stable id covers them all
 * whatever concrete class Pekko uses at run time.
 */
final class ActorRefAwareClassResolver extends DefaultClassResolver {

    private static final Class<?> TYPED = org.apache.pekko.actor.typed.ActorRef.class;
    private static final Class<?> CLASSIC = org.apache.pekko.actor.ActorRef.class;

    @Override
    @SuppressWarnings("rawtypes")
    public Registration getRegistration(Class type) {
        Registration r = super.getRegistration(type);
        if (r != null || type == null) {
            return r;
        }
        if (TYPED.isAssignableFrom(type)) {
            return super.getRegistration(TYPED);
        }
        if (CLASSIC.isAssignableFrom(type)) {
            return super.getRegistration(CLASSIC);
        }
        return null;
    }
}
