/** Node metrics as Prometheus Java client snapshots, written in the Prometheus text format for the management API. */
package io.mailfleet.server.metrics;
