/**
 * The delivery pipeline (docs/architecture.md, "The path of a message"): recipient expansion, inbound
 * checks, Sieve, local or remote delivery, reports. One sub-package per stage; the queue partition
 * keeps the durable state and the retry schedule and runs the local stages as a stream.
 */
package io.mailfleet.cluster.delivery;
