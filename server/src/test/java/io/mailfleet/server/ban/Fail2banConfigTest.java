package io.mailfleet.server.ban;

import io.mailfleet.core.ban.BlockType;
import io.mailfleet.core.ban.IpNetwork;
import io.mailfleet.server.config.ConfigError;
import io.mailfleet.server.config.Fail2banSettings;
import io.mailfleet.server.config.LoadedConfig;
import io.mailfleet.server.config.MailfleetConfig;
import io.mailfleet.server.config.ProxyProtocolSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** mailfleet.fail2ban and mailfleet.proxy-protocol: defaults, environment variables, files and bad values. */
class Fail2banConfigTest {

    @TempDir
    Path dir;

    private Map<String, String> env(String... kv) {
        Map<String, String> m = new HashMap<>();
        m.put("OVERRIDE_HOSTNAME", "mail.example.com");
        m.put("MAILFLEET_DATA", dir.toString());
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void defaultsAreDockerMailservers() {
        LoadedConfig c = MailfleetConfig.load(null, env());
        Fail2banSettings f = c.settings().fail2ban();
        assertFalse(f.enabled(), "ENABLE_FAIL2BAN defaults to 0");
        assertEquals(6, f.policy().maxRetry());
        assertEquals(Duration.ofDays(7), f.policy().findTime());
        assertEquals(Duration.ofDays(7), f.policy().banTime());
        assertEquals(Duration.ofDays(180), f.policy().manualBanTime());
        assertEquals(BlockType.DROP, f.policy().blockType());
        assertEquals(List.of(IpNetwork.parse("127.0.0.0/8"), IpNetwork.parse("::1")), f.policy().ignoreNetworks());
        assertEquals(new io.mailfleet.core.ban.BanWidthLimit(8, 32), f.policy().widest());
        ProxyProtocolSettings p = c.settings().proxyProtocol();
        assertTrue(p.listeners().isEmpty());
        assertEquals(Duration.ofSeconds(5), p.headerTimeout());
    }

    @Test
    void environmentAndFileOverride() throws Exception {
        Path file = dir.resolve("mailfleet.conf");
        Files.writeString(file, """
                mailfleet.fail2ban { max-retry = 3, find-time = 10m, ban-time = 3h, ignore-networks = ["192.168.0.0/16"],
                  widest-ban-ipv4 = 16, widest-ban-ipv6 = 48 }
                mailfleet.proxy-protocol { smtp = true, imaps = true, trusted-networks = ["10.0.0.0/8", "fd00::/8"] }
                """);
        LoadedConfig c = MailfleetConfig.load(file, env("ENABLE_FAIL2BAN", "1", "FAIL2BAN_BLOCKTYPE", "reject"));
        Fail2banSettings f = c.settings().fail2ban();
        assertTrue(f.enabled());
        assertEquals(BlockType.REJECT, f.policy().blockType());
        assertEquals(3, f.policy().maxRetry());
        assertEquals(Duration.ofMinutes(10), f.policy().findTime());
        assertEquals(Duration.ofHours(3), f.policy().banTime());
        assertTrue(f.policy().ignoreNetworks().contains(IpNetwork.parse("192.168.0.0/16")));
        assertEquals(new io.mailfleet.core.ban.BanWidthLimit(16, 48), f.policy().widest());
        ProxyProtocolSettings p = c.settings().proxyProtocol();
        assertTrue(p.enabled("smtp") && p.enabled("imaps") && !p.enabled("submission"));
        assertEquals(2, p.trustedNetworks().size());
    }

    @Test
    void badValuesStopStartUpNamingKeyAndValue() throws Exception {
        ConfigError type = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("FAIL2BAN_BLOCKTYPE", "tarpit")));
        assertTrue(type.getMessage().contains("mailfleet.fail2ban.block-type")
                && type.getMessage().contains("FAIL2BAN_BLOCKTYPE") && type.getMessage().contains("tarpit"), type.getMessage());
        ConfigError enabled = assertThrows(ConfigError.class, () -> MailfleetConfig.load(null, env("ENABLE_FAIL2BAN", "maybe")));
        assertTrue(enabled.getMessage().contains("mailfleet.fail2ban.enabled"), enabled.getMessage());

        Path noTrusted = dir.resolve("a.conf");
        Files.writeString(noTrusted, "mailfleet.proxy-protocol.smtp = true\n");
        ConfigError proxy = assertThrows(ConfigError.class, () -> MailfleetConfig.load(noTrusted, env()));
        assertTrue(proxy.getMessage().contains("mailfleet.proxy-protocol.trusted-networks")
                && proxy.getMessage().contains("smtp"), proxy.getMessage());

        Path badNet = dir.resolve("b.conf");
        Files.writeString(badNet, "mailfleet.fail2ban.ignore-networks = [\"10.0.0.0/33\"]\n");
        ConfigError net = assertThrows(ConfigError.class, () -> MailfleetConfig.load(badNet, env()));
        assertTrue(net.getMessage().contains("10.0.0.0/33"), net.getMessage());

        Path badWidth = dir.resolve("c.conf");
        Files.writeString(badWidth, "mailfleet.fail2ban.widest-ban-ipv6 = 200\n");
        ConfigError width = assertThrows(ConfigError.class, () -> MailfleetConfig.load(badWidth, env()));
        assertTrue(width.getMessage().contains("mailfleet.fail2ban.widest-ban-ipv6"), width.getMessage());

        Path badTime = dir.resolve("c.conf");
        Files.writeString(badTime, "mailfleet.fail2ban.ban-time = forever\n");
        ConfigError time = assertThrows(ConfigError.class, () -> MailfleetConfig.load(badTime, env()));
        assertTrue(time.getMessage().contains("mailfleet.fail2ban.ban-time"), time.getMessage());

        Path typo = dir.resolve("d.conf");
        Files.writeString(typo, "mailfleet.fail2ban.max-retyr = 3\n");
        ConfigError unknown = assertThrows(ConfigError.class, () -> MailfleetConfig.load(typo, env()));
        assertTrue(unknown.getMessage().contains("did you mean mailfleet.fail2ban.max-retry"), unknown.getMessage());
    }
}
