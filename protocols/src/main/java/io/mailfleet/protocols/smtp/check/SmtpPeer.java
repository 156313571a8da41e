package io.mailfleet.protocols.smtp.check;

import java.net.InetAddress;

/**
 * The client as the session knows it when a check runs.
 *
 * @param sessionId     the session's id in the log
 * @param remoteIp      the client's address as text ({@code unknown} when not known)
 * @param remoteAddress the client's address (the PROXY protocol's when behind a trusted balancer), or null
 * @param helo          the HELO/EHLO name, null before it
 * @param tls           whether the connection is encrypted
 * @param login         the authenticated account, or null
 * @param listing       what the connect-stage screen learnt of the client (DNSBL score), never null
 */
public record SmtpPeer(String sessionId, String remoteIp, InetAddress remoteAddress, String helo, boolean tls,
                         String login, ClientListing listing) {

    public SmtpPeer {
        java.util.Objects.requireNonNull(listing, "listing");
    }

    /** A client nothing is known of yet. */
    public SmtpPeer(String sessionId, String remoteIp, InetAddress remoteAddress, String helo, boolean tls,
                    String login) {
        this(sessionId, remoteIp, remoteAddress, helo, tls, login, ClientListing.NONE);
    }
}
