/** The recent history of every node's key metrics, replicated so any node's web UI can chart the cluster. */
package io.mailfleet.cluster.metrics;
