package io.mailfleet.protocols.smtp.greylist;

import io.mailfleet.core.greylist.Triplet;

/**
 * A recipient accepted at RCPT although its triplet would have been greylisted, because the envelope
 * sender's domain is a known-good one: the end of data greylists it after all unless a DKIM signature of
 * that domain passes ({@link GreylistDataCheck}).
 *
 * @param triplet        the triplet not remembered yet
 * @param suspect        the client is DNSBL-listed or failed SPF (never auto-whitelisted)
 * @param knownGood      the listed domain covering the sender
 */
public record ProvisionalGreylist(Triplet triplet, boolean suspect, String knownGood) {
}
