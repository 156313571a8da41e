package io.mailfleet.core.greylist;

import java.util.List;
import java.util.concurrent.CompletionStage;

/** The cluster-wide greylist: one decision per attempt, the same on every node. */
public interface Greylist {

    /** Decides an attempt of {@code triplet} now and remembers it. */
    default CompletionStage<GreylistDecision> decide(Triplet triplet) {
        return decide(triplet, false);
    }

    /**
     * As {@link #decide(Triplet)}; a suspect client (on a DNS block list, or whose sender failed SPF) is
     * never auto-whitelisted: its network's whitelisting does not apply to it and its passed retries do
     * not count.
     */
    default CompletionStage<GreylistDecision> decide(Triplet triplet, boolean suspect) {
        return decide(triplet, suspect, false);
    }

    /**
     * As {@link #decide(Triplet, boolean)}; when {@code provisional}, a deferral (new or too early) is
     * answered but not remembered: the caller takes the final decision later (at the end of data, for a
     * known-good sender whose DKIM signature is not known yet) and then asks again without it. Passes
     * are remembered as always.
     */
    CompletionStage<GreylistDecision> decide(Triplet triplet, boolean suspect, boolean provisional);

    /** What is remembered of one client network, for the operator. */
    CompletionStage<ClientView> client(String clientNetwork);

    /**
     * One client network as the operator sees it.
     *
     * @param passedRetries   retries that passed the delay (auto-whitelisted at the policy's count)
     * @param whitelisted     whether it skips greylisting now
     * @param pendingTriplets triplets still waiting for their retry
     * @param passedTriplets  triplets that pass
     */
    record ClientView(String clientNetwork, int passedRetries, boolean whitelisted, List<String> pendingTriplets,
                      List<String> passedTriplets) {

        public ClientView {
            pendingTriplets = List.copyOf(pendingTriplets);
            passedTriplets = List.copyOf(passedTriplets);
        }
    }
}
