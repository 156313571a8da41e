package io.mailfleet.core.sieve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** State shared by all scripts of one chain run on one message. */
final class RunState {
    record PendingTrack(String handle, String id, Duration period, boolean last) {
    }

    final SieveMessage message;
    final SieveEnvironment env;
    final SieveLimits limits;
    final EditableHeaders headers;
    final Budget budget;
    final List<SieveAction> actions = new ArrayList<>();
    final List<PendingTrack> tracks = new ArrayList<>();
    int redirects;
    int includes;

    RunState(SieveMessage message, SieveEnvironment env) {
        this.message = message;
        this.env = env;
        this.limits = env.limits();
        this.headers = new EditableHeaders(message.headers());
        this.budget = new Budget(limits);
    }

    void add(SieveAction action, int line) {
        if (actions.size() >= limits.maxActions()) {
            throw new SieveRuntimeException(line, "too many actions (limit " + limits.maxActions() + ")");
        }
        actions.add(action);
    }
}
