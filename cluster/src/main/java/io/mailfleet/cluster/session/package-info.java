/**
 * The cluster-wide {@code Sessions} entity: live sessions per account (node, protocol, address, since),
 * the per-user-and-IP connection limit over all nodes, and kicking sessions from any node.
 */
package io.mailfleet.cluster.session;
