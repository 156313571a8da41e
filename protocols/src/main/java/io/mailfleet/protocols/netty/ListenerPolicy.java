package io.mailfleet.protocols.netty;

import java.util.List;

/**
 * How one listener applies the node's {@link ConnectionLimits}.
 *
 * @param name               listener name in log lines ({@code imap}, {@code smtp}, ...)
 * @param goodbyes           the protocol's refusal and timeout replies
 * @param preLoginPerAddress this listener's per-address pre-login limit, or {@link #NODE_DEFAULT} for the node's
 * @param exempt             client networks the per-address limits do not apply to (SMTP trusted networks)
 * @param loginRequired      whether clients must log in, so the login timeout applies (not on SMTP port 25)
 */
public record ListenerPolicy(String name, Goodbyes goodbyes, int preLoginPerAddress, List<Cidr> exempt,
                             boolean loginRequired) {

    /** Take the per-address pre-login limit from {@link ConnectionLimits#preLoginPerAddress()}. */
    public static final int NODE_DEFAULT = -1;

    public ListenerPolicy {
        exempt = List.copyOf(exempt);
        if (preLoginPerAddress < NODE_DEFAULT) {
            throw new IllegalArgumentException("pre-login limit must be 0 (none), positive or NODE_DEFAULT");
        }
    }

    /** A listener where clients log in, with the node's limits and no exempt networks. */
    public static ListenerPolicy loginListener(String name, Goodbyes goodbyes) {
        return new ListenerPolicy(name, goodbyes, NODE_DEFAULT, List.of(), true);
    }
}
