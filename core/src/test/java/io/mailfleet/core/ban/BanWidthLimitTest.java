package io.mailfleet.core.ban;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BanWidthLimitTest {

    private final BanWidthLimit limit = BanWidthLimit.DEFAULT;

    @Test
    void networksWiderThanTheLimitNeedForce() {
        BanException all = assertThrows(BanException.class, () -> limit.check(IpNetwork.parse("0.0.0.0/0"), false));
        assertEquals("too-wide", all.code());
        assertTrue(all.getMessage().contains("wider than /8") && all.getMessage().contains("widest-ban-ipv4"),
                all.getMessage());
        assertThrows(BanException.class, () -> limit.check(IpNetwork.parse("10.0.0.0/7"), false));
        BanException v6 = assertThrows(BanException.class, () -> limit.check(IpNetwork.parse("::/0"), false));
        assertTrue(v6.getMessage().contains("wider than /32"), v6.getMessage());
        assertThrows(BanException.class, () -> limit.check(IpNetwork.parse("2001:db8::/31"), false));
    }

    @Test
    void theLimitItselfNarrowerNetworksAndForcedBansPass() {
        assertDoesNotThrow(() -> limit.check(IpNetwork.parse("10.0.0.0/8"), false));
        assertDoesNotThrow(() -> limit.check(IpNetwork.parse("192.0.2.7"), false));
        assertDoesNotThrow(() -> limit.check(IpNetwork.parse("2001:db8::/32"), false));
        assertDoesNotThrow(() -> limit.check(IpNetwork.parse("0.0.0.0/0"), true));
        assertDoesNotThrow(() -> limit.check(IpNetwork.parse("::/0"), true));
        assertDoesNotThrow(() -> new BanWidthLimit(0, 0).check(IpNetwork.parse("0.0.0.0/0"), false));
    }

    @Test
    void limitsOutsideTheAddressLengthAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new BanWidthLimit(33, 32));
        assertThrows(IllegalArgumentException.class, () -> new BanWidthLimit(8, 129));
    }
}
