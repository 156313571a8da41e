package io.mailfleet.protocols.smtp.spf;

import io.mailfleet.protocols.netty.Cidr;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the SPF check does with each result, as docker-mailserver's policyd-spf does by default.
 *
 * @param failAction      what {@code fail} gets
 * @param acceptTemperror true: {@code temperror} is accepted and tagged instead of deferred with 451 4.7.24
 * @param trusted         client networks never checked (they relay for us, like Postfix's mynetworks)
 * @param domainActions   what {@code fail} gets at the RCPT of particular recipient domains (lower case),
 *                        in place of {@code failAction}
 */
public record SpfPolicy(FailAction failAction, boolean acceptTemperror, List<Cidr> trusted,
                        Map<String, FailAction> domainActions) {

    /** The {@code mailfleet.spf.fail-action} values. */
    public enum FailAction {
        /** 550 5.7.23 at every RCPT of the transaction. */
        REJECT,
        /** Accepted, with {@code Received-SPF: fail}. */
        TAG
    }

    public SpfPolicy {
        trusted = List.copyOf(trusted);
        Map<String, FailAction> lower = new TreeMap<>();
        domainActions.forEach((d, a) -> lower.put(d.toLowerCase(Locale.ROOT), a));
        domainActions = Map.copyOf(lower);
    }

    /** The same action for every recipient domain. */
    public SpfPolicy(FailAction failAction, boolean acceptTemperror, List<Cidr> trusted) {
        this(failAction, acceptTemperror, trusted, Map.of());
    }

    /** What {@code fail} gets at the RCPT of {@code recipient}. */
    public FailAction failActionFor(String recipient) {
        int at = recipient.lastIndexOf('@');
        return at < 0 ? failAction
                : domainActions.getOrDefault(recipient.substring(at + 1).toLowerCase(Locale.ROOT), failAction);
    }

    /** Whether any recipient could have a fail refused. */
    boolean anyRejects() {
        return failAction == FailAction.REJECT || domainActions.containsValue(FailAction.REJECT);
    }
}
