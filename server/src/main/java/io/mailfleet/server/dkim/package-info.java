/** The automatic steps of DKIM key rotation: switching a published pending key, retiring the replaced one, on one node. */
package io.mailfleet.server.dkim;
