package io.mailfleet.protocols.sasl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The mechanism registry: which mechanisms the server has, in the order they are advertised, and
 * which of them a connection may use. Immutable; every protocol's capability list comes from here.
 */
public final class SaslMechanisms {

    /** PLAIN then LOGIN: what every protocol offers today. */
    public static final SaslMechanisms STANDARD = new SaslMechanisms(List.of(new PlainMechanism(), new LoginMechanism()));

    /** With OAuth2 on: PLAIN, LOGIN, then the bearer-token mechanisms in Dovecot's order. */
    public static final SaslMechanisms WITH_TOKENS = new SaslMechanisms(List.of(new PlainMechanism(),
            new LoginMechanism(), new OAuthBearerMechanism(), new XOAuth2Mechanism()));

    private final Map<String, SaslMechanism> byName = new LinkedHashMap<>();

    /** A registry of these mechanisms, advertised in this order. */
    public SaslMechanisms(List<SaslMechanism> mechanisms) {
        for (SaslMechanism m : mechanisms) {
            if (byName.putIfAbsent(m.name().toUpperCase(Locale.ROOT), m) != null) {
                throw new IllegalArgumentException("SASL mechanism registered twice: " + m.name());
            }
        }
    }

    /** The registry a server with this authenticator offers: the token mechanisms only when it checks tokens. */
    public static SaslMechanisms of(io.mailfleet.core.service.Authenticator authenticator) {
        return authenticator.tokens().isPresent() ? WITH_TOKENS : STANDARD;
    }

    /** The names of every mechanism, whether or not this connection may use it (POP3 {@code AUTH} without argument). */
    public List<String> names() {
        return List.copyOf(byName.keySet());
    }

    /** The names this connection may use, for the capability list ({@code secretsAllowed} from {@link TlsOnlyPolicy}). */
    public List<String> offered(boolean secretsAllowed) {
        List<String> out = new ArrayList<>();
        for (SaslMechanism m : byName.values()) {
            if (secretsAllowed || !m.sendsSecretInClear()) {
                out.add(m.name());
            }
        }
        return out;
    }

    /** The offered names joined by spaces ({@code "PLAIN LOGIN"}), empty when none. */
    public String offeredList(boolean secretsAllowed) {
        return String.join(" ", offered(secretsAllowed));
    }

    /**
     * One authentication attempt with the named mechanism (any case). An unknown or, on this
     * connection, unusable mechanism gives an attempt whose first step is the refusal.
     */
    public SaslAuthentication start(String mechanism, boolean secretsAllowed) {
        SaslMechanism m = byName.get(mechanism.toUpperCase(Locale.ROOT));
        if (m == null) {
            // Without TLS and with nothing usable in clear, "use TLS" is the useful answer for any name.
            return new SaslAuthentication(null, offered(secretsAllowed).isEmpty()
                    ? SaslRefusal.ENCRYPTION_REQUIRED : SaslRefusal.UNSUPPORTED_MECHANISM);
        }
        if (m.sendsSecretInClear() && !secretsAllowed) {
            return new SaslAuthentication(m, SaslRefusal.ENCRYPTION_REQUIRED);
        }
        return new SaslAuthentication(m, null);
    }
}
