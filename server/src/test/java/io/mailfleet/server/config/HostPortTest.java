package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPortTest {

    @Test
    void hostsNamesAndBracketedV6AddressesWithAPort() {
        assertEquals(InetSocketAddress.createUnresolved("clamd", 3310), HostPort.parse("clamd:3310").orElseThrow());
        assertEquals(InetSocketAddress.createUnresolved("::1", 783), HostPort.parse("[::1]:783").orElseThrow());
        assertEquals(InetSocketAddress.createUnresolved("10.0.0.1", 65535), HostPort.parse("10.0.0.1:65535").orElseThrow());
    }

    @Test
    void anythingElseIsRefused() {
        for (String bad : new String[]{"clamd", "clamd:", ":3310", "[]:3310", "clamd:0", "clamd:65536", "clamd:x",
                "clamd:-1", "", "::1:783", "[::1:783", "::1]:783", "a[b]:25"}) {
            assertTrue(HostPort.parse(bad).isEmpty(), bad);
        }
    }
}
