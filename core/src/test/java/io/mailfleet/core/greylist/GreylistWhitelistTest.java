package io.mailfleet.core.greylist;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Postgrey's whitelist file formats as docker-mailserver mounts them. */
class GreylistWhitelistTest {

    private static InetAddress ip(String s) throws Exception {
        return InetAddress.getByName(s);
    }

    @Test
    void clientEntriesAreAddressesNetworksAndOctetPrefixes() throws Exception {
        GreylistWhitelist w = GreylistWhitelist.parse(List.of("# comment", "", "192.0.2.7  # one host", "198.51.100.0/24",
                "10.1", "2001:db8:1::/48", "mail.example.org", "/^mx[0-9]+\\.example\\.net$/"), List.of());
        assertTrue(w.client(ip("192.0.2.7")));
        assertFalse(w.client(ip("192.0.2.8")));
        assertTrue(w.client(ip("198.51.100.250")));
        assertTrue(w.client(ip("10.1.200.3")), "10.1 is 10.1.0.0/16");
        assertFalse(w.client(ip("10.2.0.1")));
        assertTrue(w.client(ip("2001:db8:1:ffff::1")));
        assertFalse(w.client(ip("2001:db8:2::1")));
        assertEquals(List.of("mail.example.org", "/^mx[0-9]+\\.example\\.net$/"), w.skippedClientEntries());
    }

    @Test
    void recipientEntriesAreLocalPartsAddressesDomainsAndRegularExpressions() {
        GreylistWhitelist w = GreylistWhitelist.parse(List.of(), List.of("postmaster@", "Abuse@Example.com",
                "example.org", "/^sales-.*@example\\.net$/"));
        assertTrue(w.recipient("postmaster@anything.example"));
        assertFalse(w.recipient("postmaster2@anything.example"));
        assertTrue(w.recipient("abuse@example.com"));
        assertFalse(w.recipient("abuse@example.co"));
        assertTrue(w.recipient("anyone@example.org"));
        assertTrue(w.recipient("anyone@lists.example.org"), "subdomains of a listed domain");
        assertFalse(w.recipient("anyone@notexample.org"));
        assertTrue(w.recipient("SALES-EU@example.net"));
        assertFalse(w.recipient("support@example.net"));
    }

    @Test
    void aBrokenRegularExpressionIsRefusedNamingTheLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GreylistWhitelist.parse(List.of(), List.of("/([a-z/")));
        assertTrue(e.getMessage().contains("([a-z"), e.getMessage());
    }
}
