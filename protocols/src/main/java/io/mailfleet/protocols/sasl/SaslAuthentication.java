package io.mailfleet.protocols.sasl;

import java.util.Base64;

/**
 * One authentication attempt as a session drives it, on the protocol's text: {@link #begin} with the
 * initial response (or none), then {@link #respond} with each line that answers a challenge. Handles
 * what is the same in every protocol: {@code *} cancels, {@code =} is an empty response (RFC 4954,
 * 4959, 5034 for the initial response; accepted after a challenge too, as the sessions always did),
 * base64 decoding and the response length limit. Not thread-safe: one session, one thread.
 */
public final class SaslAuthentication {

    /** Longest response accepted, in base64 characters (the SMTP AUTH line limit of Postfix). */
    public static final int MAX_RESPONSE_CHARS = 12288;

    private final SaslMechanism mechanism;
    private SaslExchange exchange;
    private SaslRefusal refusal;
    private boolean expectingResponse;
    /** The token was refused and its error challenge sent: whatever the client answers ends in INVALID_TOKEN. */
    private boolean tokenRefused;

    SaslAuthentication(SaslMechanism mechanism, SaslRefusal refusal) {
        this.mechanism = mechanism;
        this.refusal = refusal;
    }

    /** The mechanism's name, or null when the client named an unknown one. */
    public String mechanismName() {
        return mechanism == null ? null : mechanism.name();
    }

    /** The first step: a refusal for an unusable mechanism, else the answer to {@code initialResponse} (null: none sent). */
    public SaslStep begin(String initialResponse) {
        if (exchange != null) {
            throw new IllegalStateException("SASL exchange already begun");
        }
        if (refusal != null) {
            return new SaslStep.Refused(refusal);
        }
        exchange = mechanism.newExchange();
        if (initialResponse == null) {
            return challenge(new SaslStep.Challenge(exchange.initialChallenge()));
        }
        return respond0(initialResponse);
    }

    /** The next step after the client's answer to the last challenge (the line without CRLF). */
    public SaslStep respond(String line) {
        if (!expectingResponse) {
            throw new IllegalStateException("no SASL challenge is outstanding");
        }
        return respond0(line);
    }

    /**
     * After the token of this exchange was refused: the RFC 7628 error challenge ({@code errorJson}) to
     * send; the client's answer to it (^A for OAUTHBEARER, empty for XOAUTH2, anything) then gives
     * {@link SaslRefusal#INVALID_TOKEN}, the protocol's final failure.
     */
    public SaslStep tokenRefused(String errorJson) {
        tokenRefused = true;
        return challenge(new SaslStep.Challenge(errorJson.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /** The answer to a response line the protocol's framing found too long to read (the session drops it). */
    public SaslStep tooLong() {
        if (!expectingResponse) {
            throw new IllegalStateException("no SASL challenge is outstanding");
        }
        expectingResponse = false;
        return tokenRefused ? new SaslStep.Refused(SaslRefusal.INVALID_TOKEN) : malformed(SaslRefusal.TOO_LONG);
    }

    private SaslStep respond0(String line) {
        expectingResponse = false;
        if (tokenRefused) {
            return new SaslStep.Refused(SaslRefusal.INVALID_TOKEN);
        }
        String response = line.strip();
        if (response.equals("*")) {
            return new SaslStep.Refused(SaslRefusal.ABORTED);
        }
        if (response.length() > MAX_RESPONSE_CHARS) {
            return malformed(SaslRefusal.TOO_LONG);
        }
        byte[] decoded;
        try {
            decoded = response.equals("=") ? new byte[0] : Base64.getDecoder().decode(response);
        } catch (IllegalArgumentException e) {
            return new SaslStep.Refused(SaslRefusal.BAD_BASE64);
        }
        SaslStep next = exchange.evaluate(decoded);
        if (next instanceof SaslStep.Refused r) {
            return malformed(r.reason());
        }
        return next instanceof SaslStep.Challenge c ? challenge(c) : next;
    }

    /**
     * The answer to an unreadable message: its refusal, except for a bearer-token mechanism, whose
     * unreadable message (a 100 KB token, no {@code auth=Bearer}) is checked as an empty, invalid
     * token, so it is refused, logged and counted like any bad token (the bad-input rule).
     */
    private SaslStep malformed(SaslRefusal reason) {
        if (mechanism.bearerToken() && reason.malformed()) {
            return new SaslStep.Authenticate(new SaslCredentials.Token(mechanism.name(), "", ""));
        }
        return new SaslStep.Refused(reason);
    }

    private SaslStep challenge(SaslStep.Challenge c) {
        expectingResponse = true;
        return c;
    }
}
