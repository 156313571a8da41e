package io.mailfleet.protocols.smtp.postscreen;

import java.net.InetAddress;

/** Clients that passed the postscreen tests recently and skip them (Postfix's postscreen cache). */
public interface PassCache {

    /** True when {@code client} passed within the time to live. */
    boolean passed(InetAddress client);

    /** Remembers that {@code client} passed now. */
    void remember(InetAddress client);
}
