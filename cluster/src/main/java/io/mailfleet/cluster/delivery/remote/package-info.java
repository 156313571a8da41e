/** Delivery stage: remote delivery rounds (SRS, DKIM signing, the transport) and what their answers mean per target. */
package io.mailfleet.cluster.delivery.remote;
