package io.mailfleet.protocols.netty;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Marks a connection whose client has logged in, so connection-level guards (pre-login limits and
 * timeouts, closing a banned address's sessions) can tell authenticated sessions from the rest.
 */
public final class ChannelLogin {

    private static final AttributeKey<String> ACCOUNT = AttributeKey.valueOf("mailfleet.login.account");

    /** The user event {@link #markAuthenticated} fires through the pipeline, for guards that count pre-login connections. */
    public enum Event { LOGGED_IN }

    private ChannelLogin() {
    }

    /** Records that {@code account} logged in on {@code channel}; called by a session on its first successful login. */
    public static void markAuthenticated(Channel channel, String account) {
        channel.attr(ACCOUNT).set(account);
        channel.pipeline().fireUserEventTriggered(Event.LOGGED_IN);
    }

    /** Forgets the login (IMAP UNAUTHENTICATE, ManageSieve UNAUTHENTICATE). */
    public static void clear(Channel channel) {
        channel.attr(ACCOUNT).set(null);
    }

    /** Whether a client has logged in on {@code channel}. */
    public static boolean isAuthenticated(Channel channel) {
        return channel.attr(ACCOUNT).get() != null;
    }
}
