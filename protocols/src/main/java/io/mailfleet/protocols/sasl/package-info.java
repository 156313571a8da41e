/**
 * The one SASL framework every protocol uses: the mechanism registry, the server side of an exchange
 * (challenges, initial response, cancel, base64), the identity rules and the TLS-only policy. A
 * session maps the outcome ({@link io.mailfleet.protocols.sasl.SaslStep}) to its own replies.
 *
 * <p>How the next mechanisms plug in: XOAUTH2 and OAUTHBEARER (RFC 7628) are a {@code SaslMechanism}
 * each whose exchange parses the client's message, checks the user with
 * {@link io.mailfleet.protocols.sasl.SaslIdentityRules#authorization} and ends in
 * {@code Authenticate(Token)}; the sessions' one {@code Authenticate} branch then hands tokens to the
 * validator that comes with them (until then a {@code Token} is refused as an unsupported mechanism).
 * SCRAM-SHA-256 (RFC 7677) is a mechanism with several challenges; because its second challenge
 * needs the account's salt and stored key, it will add an asynchronous lookup step to
 * {@code SaslStep} that the sessions wait on like they wait on the password check.
 */
package io.mailfleet.protocols.sasl;
