/**
 * The one SASL framework every protocol uses: the mechanism registry, the server side of an exchange
 * (challenges, initial response, cancel, base64), the identity rules and the TLS-only policy. A
 * session maps the outcome ({@link io.mailfleet.protocols.sasl.SaslStep}) to its own replies.
 *
 * <p>XOAUTH2 and OAUTHBEARER (RFC 7628) end in {@code Authenticate(Token)}; the sessions check the
 * credentials through {@link io.mailfleet.protocols.auth.SaslVerification} (password or token alike),
 * and a refused token goes back into the exchange ({@link io.mailfleet.protocols.sasl.SaslAuthentication#tokenRefused})
 * for the RFC 7628 error challenge before the final refusal. They are offered when the authenticator
 * checks tokens ({@link io.mailfleet.protocols.sasl.SaslMechanisms#of}).
 * SCRAM-SHA-256 (RFC 7677) is a mechanism with several challenges; because its second challenge
 * needs the account's salt and stored key, it will add an asynchronous lookup step to
 * {@code SaslStep} that the sessions wait on like they wait on the password check.
 */
package io.mailfleet.protocols.sasl;
