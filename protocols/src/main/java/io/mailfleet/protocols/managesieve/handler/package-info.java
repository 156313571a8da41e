/**
 * One handler per ManageSieve command family (CAPABILITY/NOOP/LOGOUT/STARTTLS, AUTHENTICATE and
 * UNAUTHENTICATE, the uploads that compile first, the other script commands), each working on the
 * session through {@link io.mailfleet.protocols.managesieve.handler.SieveContext};
 * {@link io.mailfleet.protocols.managesieve.handler.SieveCommands} dispatches.
 */
package io.mailfleet.protocols.managesieve.handler;
