/** Per-account sender allow and block lists: one sharded entity per account, and the store the node uses. */
package io.mailfleet.cluster.spamlist;
