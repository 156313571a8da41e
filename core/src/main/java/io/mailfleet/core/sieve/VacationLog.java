package io.mailfleet.core.sieve;

import java.time.Duration;

/** Remembers vacation replies: one reply per (handle, sender) per period (RFC 5230 §4.2). */
public interface VacationLog {
    /** True if no reply was sent for this handle to {@code sender} within {@code period}; records the reply. */
    boolean shouldRespond(String handle, String sender, Duration period);
}
