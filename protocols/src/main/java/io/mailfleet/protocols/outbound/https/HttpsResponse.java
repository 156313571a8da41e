package io.mailfleet.protocols.outbound.https;

/** The status, content type ("" when absent) and body of an HTTPS response. */
public record HttpsResponse(int status, String contentType, byte[] body) {
}
