/**
 * Client auto-configuration over HTTP: Thunderbird autoconfig, Microsoft Autodiscover (POX and the v2
 * JSON), Apple's {@code .mobileconfig}, all describing the listeners this node really runs.
 */
package io.mailfleet.server.autoconfig;
