/** Server TLS contexts for all protocol front-ends: certificate sources, TLS_LEVEL policy, hot reload. */
package io.mailfleet.protocols.tls;
