package io.mailfleet.server.jmx;

/** Per-node operator view over JMX: cluster status, directory counts and sessions held here. */
public interface NodeMXBean {

    /** This node's cluster address. */
    String getSelfAddress();

    /** This node's membership status (Joining, Up, Leaving, ...). */
    String getMemberStatus();

    /** Every member as {@code address status roles}. */
    String[] getMembers();

    /** The cluster leader's address, or empty. */
    String getLeader();

    /** Members this node sees as unreachable. */
    int getUnreachableCount();

    int getAccountCount();

    int getAliasCount();

    int getDomainCount();

    /** Live sessions whose connection this node holds, per protocol as {@code protocol count}, e.g. {@code imap 12}. */
    String[] getSessionsByProtocol();
}
