/**
 * Back-pressure between a client and the blob store: received message bytes are written off the
 * event loop with a bounded window, and the channel is read only while that window has room.
 */
package io.mailfleet.protocols.flow;
