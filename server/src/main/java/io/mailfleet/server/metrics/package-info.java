/** Node metrics in the Prometheus text format, served by the management API. */
package io.mailfleet.server.metrics;
