/** The cluster-wide ban list: sharded {@code BanList} entities and the replicated cache of active bans. */
package io.mailfleet.cluster.ban;
