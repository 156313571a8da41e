package io.mailfleet.server.config;

import java.net.InetSocketAddress;
import java.util.Optional;

/** {@code host:port} and {@code [v6]:port} settings, as unresolved addresses (looked up when used). */
final class HostPort {

    private HostPort() {
    }

    /**
     * The address, or empty when the text is not a host (an IPv6 address in brackets), a colon and a
     * port from 1 to 65535.
     */
    static Optional<InetSocketAddress> parse(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            return Optional.empty();
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0 || host.indexOf('[') >= 0 || host.indexOf(']') >= 0) {
            return Optional.empty(); // an IPv6 address needs its brackets, or host and port are ambiguous
        }
        try {
            int port = Integer.parseInt(text.substring(colon + 1));
            return port >= 1 && port <= 65535 && !host.isEmpty()
                    ? Optional.of(InetSocketAddress.createUnresolved(host, port)) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
