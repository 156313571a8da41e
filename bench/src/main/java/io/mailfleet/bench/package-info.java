/**
 * Load benchmarks behind {@code ./mailfleet bench}: a lean raw-socket SMTP load client, an in-process
 * single-node server with real storage, and the report (throughput, acceptance latency, machine).
 */
package io.mailfleet.bench;
