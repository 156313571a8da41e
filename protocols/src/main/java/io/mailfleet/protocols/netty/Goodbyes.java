package io.mailfleet.protocols.netty;

import java.util.function.Function;

/**
 * What a protocol says when {@link ConnectionAdmission} turns a connection away or ends it (one line,
 * without CRLF): the node is full, the client's address has too many connections, the client did not
 * log in in time.
 *
 * @param nodeFull    reply when the node-wide cap is reached
 * @param addressFull reply, given the client's IP, when its address reached the per-address limit
 * @param loginTimeout goodbye when the login timeout expires
 */
public record Goodbyes(String nodeFull, Function<String, String> addressFull, String loginTimeout) {
}
