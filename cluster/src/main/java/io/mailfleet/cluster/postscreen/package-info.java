/**
 * Postscreen's cache made cluster-wide: clients that passed a connection test on any node, in
 * replicated maps every node reads locally ({@link io.mailfleet.cluster.postscreen.ClusterPassCache}).
 */
package io.mailfleet.cluster.postscreen;
