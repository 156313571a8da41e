/**
 * Back-pressure between a client and the blob store: the received bytes of a message run as a Pekko
 * stream ({@link io.mailfleet.protocols.flow.ChannelSource} fed from the event loop, into
 * {@link io.mailfleet.protocols.flow.BlobSink} writing on the upload threads), and the channel is read
 * only while the stream has demand ({@link io.mailfleet.protocols.flow.ReadGate}).
 */
package io.mailfleet.protocols.flow;
