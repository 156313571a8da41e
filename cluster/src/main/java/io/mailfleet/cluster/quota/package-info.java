/** Quota warnings: the per-account memory of the warning level reached, and the node watcher that asks it. */
package io.mailfleet.cluster.quota;
