/** Plumbing shared by the Netty protocol front-ends. */
package io.mailfleet.protocols.netty;
