/**
 * The one SASL framework every protocol uses: the mechanism registry, the server side of an exchange
 * (challenges, initial response, cancel, base64), the identity rules and the TLS-only policy. A
 * session maps the outcome ({@link io.mailfleet.protocols.sasl.SaslStep}) to its own replies.
 */
package io.mailfleet.protocols.sasl;
