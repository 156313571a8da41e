package io.mailfleet.core.sieve;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Set;

/**
 * Everything a script run needs besides the message: the recipient's own addresses (vacation), the
 * stores behind vacation/duplicate/mailboxexists/include, the clock and zone (date tests), limits.
 */
public record SieveEnvironment(Set<String> ownAddresses, VacationLog vacationLog, DuplicateLog duplicateLog,
                               MailboxChecker mailboxes, ScriptResolver scripts, Clock clock, ZoneId zone,
                               SieveLimits limits, Duration duplicatePeriod) {

    public SieveEnvironment {
        ownAddresses = Set.copyOf(ownAddresses);
    }

    /** An environment whose stores answer "never replied", "never seen", "no such mailbox", "no script". */
    public static SieveEnvironment defaults(Clock clock) {
        return new SieveEnvironment(Set.of(), (h, s, p) -> true, new DuplicateLog() {
            @Override
            public boolean seen(String handle, String id) {
                return false;
            }

            @Override
            public void track(String handle, String id, Duration period, boolean last) {
                // nothing is remembered in the default environment
            }
        }, folder -> false, ScriptResolver.none(), clock, clock.getZone(), SieveLimits.defaults(),
                Duration.ofHours(12));
    }

    public SieveEnvironment withOwnAddresses(Set<String> v) {
        return new SieveEnvironment(v, vacationLog, duplicateLog, mailboxes, scripts, clock, zone, limits,
                duplicatePeriod);
    }

    public SieveEnvironment withVacationLog(VacationLog v) {
        return new SieveEnvironment(ownAddresses, v, duplicateLog, mailboxes, scripts, clock, zone, limits,
                duplicatePeriod);
    }

    public SieveEnvironment withDuplicateLog(DuplicateLog v) {
        return new SieveEnvironment(ownAddresses, vacationLog, v, mailboxes, scripts, clock, zone, limits,
                duplicatePeriod);
    }

    public SieveEnvironment withMailboxes(MailboxChecker v) {
        return new SieveEnvironment(ownAddresses, vacationLog, duplicateLog, v, scripts, clock, zone, limits,
                duplicatePeriod);
    }

    public SieveEnvironment withScripts(ScriptResolver v) {
        return new SieveEnvironment(ownAddresses, vacationLog, duplicateLog, mailboxes, v, clock, zone, limits,
                duplicatePeriod);
    }

    public SieveEnvironment withLimits(SieveLimits v) {
        return new SieveEnvironment(ownAddresses, vacationLog, duplicateLog, mailboxes, scripts, clock, zone, v,
                duplicatePeriod);
    }

    public SieveEnvironment withZone(ZoneId v) {
        return new SieveEnvironment(ownAddresses, vacationLog, duplicateLog, mailboxes, scripts, clock, v, limits,
                duplicatePeriod);
    }
}
