/** Greylisting at RCPT TO on port 25, on the cluster-wide {@link io.mailfleet.core.greylist.Greylist}. */
package io.mailfleet.protocols.smtp.greylist;
