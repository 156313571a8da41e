/** Delivery stage 1: recipient expansion (aliases, catch-all, subaddress, SRS) into fixed delivery targets. */
package io.mailfleet.cluster.delivery.expansion;
