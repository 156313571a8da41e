package io.mailfleet.protocols.smtp.spf;

import io.mailfleet.protocols.netty.Cidr;

import java.util.List;

/**
 * What the SPF check does with each result, as docker-mailserver's policyd-spf does by default.
 *
 * @param failAction      what {@code fail} gets
 * @param acceptTemperror true: {@code temperror} is accepted and tagged instead of deferred with 451 4.7.24
 * @param trusted         client networks never checked (they relay for us, like Postfix's mynetworks)
 */
public record SpfPolicy(FailAction failAction, boolean acceptTemperror, List<Cidr> trusted) {

    /** The {@code mailfleet.spf.fail-action} values. */
    public enum FailAction {
        /** 550 5.7.23 at every RCPT of the transaction. */
        REJECT,
        /** Accepted, with {@code Received-SPF: fail}. */
        TAG
    }

    public SpfPolicy {
        trusted = List.copyOf(trusted);
    }
}
