/** The cluster-wide POP3 maildrop lock: one POP3 session per account at a time on any node. */
package io.mailfleet.cluster.pop3;
