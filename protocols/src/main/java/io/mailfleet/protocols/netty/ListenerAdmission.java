package io.mailfleet.protocols.netty;

import io.netty.channel.ChannelPipeline;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/** One listener's view of {@link ConnectionAdmission}: its policy and its per-address pre-login count. */
public final class ListenerAdmission {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerAdmission.class);
    private static final Duration REPORT_INTERVAL = Duration.ofMinutes(1);

    private final ConnectionAdmission node;
    private final ListenerPolicy policy;
    private final ClientConnections preLogin;
    private final EventThrottle refusals = new EventThrottle(REPORT_INTERVAL);

    ListenerAdmission(ConnectionAdmission node, ListenerPolicy policy, ClientConnections preLogin) {
        this.node = node;
        this.policy = policy;
        this.preLogin = preLogin;
    }

    /**
     * Adds the admission handler at the end of {@code pipeline}; call it right after
     * {@link AcceptGuard#install}, so it judges the real client address and never counts a banned one.
     */
    public void install(ChannelPipeline pipeline) {
        pipeline.addLast("admission", new AdmissionHandler(this));
    }

    ConnectionAdmission node() {
        return node;
    }

    ListenerPolicy policy() {
        return policy;
    }

    ClientConnections preLogin() {
        return preLogin;
    }

    /** Logs a refusal, at most one line a minute per listener with the count since the last one. */
    void refused(String client, String why) {
        long n = refusals.record();
        if (n > 0) {
            LOG.warn("{}: refused {} connection(s) since the last report, latest from {}: {}", policy.name(), n,
                    client, why);
        }
    }
}
