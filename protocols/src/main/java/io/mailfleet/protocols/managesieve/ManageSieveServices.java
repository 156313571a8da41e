package io.mailfleet.protocols.managesieve;

import io.mailfleet.core.service.Authenticator;
import io.mailfleet.core.service.SessionRegistry;
import io.mailfleet.core.service.SieveScriptStore;
import io.mailfleet.protocols.tls.TlsContextProvider;

import java.util.Objects;

/**
 * What a ManageSieve listener calls: authentication, the script store, TLS, the accept guard and the
 * session registry (sessions are listed and can be kicked; no per-IP limit).
 */
public record ManageSieveServices(Authenticator authenticator, SieveScriptStore scripts, TlsContextProvider tls,
                                  io.mailfleet.protocols.netty.AcceptGuard guard, SessionRegistry sessions) {

    /** Services without ban filter or PROXY protocol, with sessions known to this process only. */
    public ManageSieveServices(Authenticator authenticator, SieveScriptStore scripts, TlsContextProvider tls) {
        this(authenticator, scripts, tls, io.mailfleet.protocols.netty.AcceptGuard.none());
    }

    /** Services with sessions known to this process only (a cluster node passes its registry). */
    public ManageSieveServices(Authenticator authenticator, SieveScriptStore scripts, TlsContextProvider tls,
                               io.mailfleet.protocols.netty.AcceptGuard guard) {
        this(authenticator, scripts, tls, guard, SessionRegistry.inMemory());
    }

    public ManageSieveServices {
        guard = guard == null ? io.mailfleet.protocols.netty.AcceptGuard.none() : guard;
        Objects.requireNonNull(sessions, "sessions");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(scripts, "scripts");
        Objects.requireNonNull(tls, "tls");
    }
}
