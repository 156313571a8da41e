/** The cluster-wide greylist: one sharded {@code Greylist} entity per client network (/24 or /64). */
package io.mailfleet.cluster.greylist;
