/**
 * Postscreen-style admission on port 25: the pregreet test (a client that talks before the banner is
 * a bot) and the cache of clients that passed.
 */
package io.mailfleet.protocols.smtp.postscreen;
