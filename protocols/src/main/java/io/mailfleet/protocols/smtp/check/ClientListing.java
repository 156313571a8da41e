package io.mailfleet.protocols.smtp.check;

/**
 * What the connect-stage screen learnt of the client's reputation, for the later stages (greylisting
 * does not auto-whitelist a listed client).
 *
 * @param dnsblScore the weighted DNSBL score (0 when not looked up or listed nowhere; negative when only
 *                   allow-lists list it)
 * @param listedBy   the block list named in a refusal, or null
 */
public record ClientListing(int dnsblScore, String listedBy) {

    /** Nothing known: not looked up, or listed nowhere. */
    public static final ClientListing NONE = new ClientListing(0, null);

    /** Whether any block list weighs against the client (a positive score, even under the threshold). */
    public boolean listed() {
        return dnsblScore > 0;
    }
}
