/** Last delivery stage: the delivery status notifications (RFC 3464) a message owes its sender, built and queued. */
package io.mailfleet.cluster.delivery.report;
