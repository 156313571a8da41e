package io.mailfleet.core.sieve;

import java.util.List;
import java.util.Optional;

/**
 * Outcome of running a script chain: the actions to perform (implicit keep already resolved to a
 * {@link SieveAction.Keep}), the header block when editheader changed it, and the error that caused a
 * fall back to implicit keep, if any.
 */
public record SieveResult(List<SieveAction> actions, Optional<List<SieveMessage.Header>> editedHeaders,
                          Optional<String> error) {

    public SieveResult {
        actions = List.copyOf(actions);
    }

    /** True when the message is stored somewhere (INBOX or a folder). */
    public boolean delivers() {
        return actions.stream().anyMatch(a -> a instanceof SieveAction.Keep || a instanceof SieveAction.FileInto);
    }

    /** Actions of one kind, in order. */
    public <A extends SieveAction> List<A> actions(Class<A> kind) {
        return actions.stream().filter(kind::isInstance).map(kind::cast).toList();
    }
}
