package io.mailfleet.protocols.outbound;

/** What happened to one recipient. */
public enum Outcome {
    /** The remote server took responsibility (2xx after the final dot). */
    DELIVERED,
    /** Try again later (4xx, timeout, connection failure, TLS or AUTH failure). */
    TEMPORARY,
    /** Never deliverable this way (5xx, size limit, missing 8BITMIME/SMTPUTF8). */
    PERMANENT
}
