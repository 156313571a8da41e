package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code mailfleet.milter} as Postfix's smtpd_milters and milter_* settings; a bad value stops start-up naming its key. */
class MilterSettingsTest {

    @TempDir
    Path dir;

    private LoadedConfig load(String conf) throws Exception {
        return MailfleetConfig.load(Files.writeString(dir.resolve("mailfleet.conf"), conf), Map.of());
    }

    @Test
    void noMilterByDefaultAndPostfixsFormsWhenListed() throws Exception {
        assertTrue(MilterSettings.of(load("")).milters().isEmpty());
        MilterSettings s = MilterSettings.of(load("mailfleet.milter { default-action = accept, command-timeout = 5s\n"
                + "milters = [\"inet:127.0.0.1:8891\", \"{ unix:/run/opendkim/opendkim.sock, default_action = tempfail,"
                + " content_timeout = 2m }\", \"inet:[::1]:11332\"] }"));
        assertEquals(3, s.milters().size());
        MilterSettings.Milter a = s.milters().get(0);
        assertEquals("inet:127.0.0.1:8891", a.spec());
        assertEquals(8891, ((InetSocketAddress) a.address()).getPort());
        assertEquals(MilterSettings.DefaultAction.ACCEPT, a.defaultAction());
        assertEquals(Duration.ofSeconds(5), a.commandTimeout());
        assertEquals(Duration.ofSeconds(30), a.connectTimeout());
        assertEquals(Duration.ofSeconds(300), a.contentTimeout());
        MilterSettings.Milter b = s.milters().get(1);
        assertEquals(UnixDomainSocketAddress.of("/run/opendkim/opendkim.sock"), b.address());
        assertEquals(MilterSettings.DefaultAction.TEMPFAIL, b.defaultAction());
        assertEquals(Duration.ofMinutes(2), b.contentTimeout());
        assertEquals("::1", ((InetSocketAddress) s.milters().get(2).address()).getHostString());
    }

    @Test
    void garbageNamesTheKey() {
        for (String bad : new String[]{"milters = [\"127.0.0.1:8891\"]", "milters = [\"inet:host\"]",
                "milters = [\"unix:relative.sock\"]", "milters = [\"{ inet:127.0.0.1:1, default_action = reject }\"]",
                "milters = [\"{ inet:127.0.0.1:1, colour = blue }\"]",
                "milters = [\"{ inet:127.0.0.1:1, command_timeout = forever }\"]", "milters = [\"{ inet:127.0.0.1:1\"]"}) {
            ConfigError e = assertThrows(ConfigError.class, () -> load("mailfleet.milter." + bad), bad);
            assertTrue(e.getMessage().contains("mailfleet.milter.milters"), e.getMessage());
        }
        ConfigError e = assertThrows(ConfigError.class, () -> load("mailfleet.milter.default-action = bounce"));
        assertTrue(e.getMessage().contains("mailfleet.milter.default-action"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> load("mailfleet.milter.content-timeout = 0s"));
        assertTrue(e.getMessage().contains("mailfleet.milter.content-timeout"), e.getMessage());
    }
}
