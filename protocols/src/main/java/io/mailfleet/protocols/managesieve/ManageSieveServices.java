package io.mailfleet.protocols.managesieve;

import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/** What a ManageSieve listener calls: authentication, the script store and TLS. */
public record ManageSieveServices(Authenticator authenticator, SieveScriptStore scripts, TlsContextProvider tls,
                                  io.mailfleet.protocols.netty.AcceptGuard guard) {

    /** Services without ban filter or PROXY protocol. */
    public ManageSieveServices(Authenticator authenticator, SieveScriptStore scripts, TlsContextProvider tls) {
        this(authenticator, scripts, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    public ManageSieveServices {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(scripts, "scripts");
        Objects.requireNonNull(tls, "tls");
    }
}
