package io.mailfleet.protocols.sasl;

/**
 * The mechanism-specific half of one authentication attempt, on decoded octets. Base64, cancel and
 * the length limit are handled once by {@link SaslAuthentication}; an exchange is used by one session
 * on its own thread and is never reused.
 */
public interface SaslExchange {

    /** The first challenge, sent when the client gave no initial response (empty for PLAIN). */
    byte[] initialChallenge();

    /**
     * The next step after one client response: another challenge, credentials to check, or a refusal.
     * Called only while the previous step was a challenge.
     */
    SaslStep evaluate(byte[] response);
}
