package io.mailfleet.server.web;

import java.net.InetAddress;
import java.util.Optional;

/**
 * One logged-in request: who, the notice left by the previous action, whether cookies get
 * {@code Secure} (the browser reached the node over TLS, directly or through a proxy), and the CSRF
 * token the page's forms carry, and the browser's address (for the ban list).
 */
record Visit(WebSession session, Optional<Layout.Notice> notice, boolean secure, String csrf,
            Optional<InetAddress> client) {
}
