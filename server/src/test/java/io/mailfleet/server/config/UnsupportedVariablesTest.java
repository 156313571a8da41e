package io.mailfleet.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnsupportedVariablesTest {

    @Test
    void aSetUnsupportedVariableIsNamedWithWhatToUseInsteadInOneStartUpWarning() {
        LoadedConfig c = MailfleetConfig.load(null, Map.of("ENABLE_AMAVIS", "1", "SMTP_ONLY", "1",
                "MAILFLEET_DATA", "/tmp/mailfleet-unsupported-test"));
        var lines = c.warnings().stream().filter(w -> w.contains("not supported")).toList();
        assertEquals(1, lines.size(), c.warnings().toString());
        assertTrue(lines.get(0).startsWith("ENABLE_AMAVIS is set but not supported: Amavis"), lines.get(0));
        assertTrue(lines.get(0).contains("; SMTP_ONLY is set but not supported: set ENABLE_IMAP=0"), lines.get(0));
    }

    @Test
    void disabledOrUnsetVariablesAndSupportedOnesAreNotNamed() {
        UnsupportedVariables list = UnsupportedVariables.shipped();
        assertFalse(list.warning(Map.of("ENABLE_AMAVIS", "0", "ENABLE_FETCHMAIL", " ", "ENABLE_POSTGREY", "1",
                "SSL_TYPE", "manual")).isPresent());
        // a variable Mailfleet reads must never be on the list
        for (String supported : new String[]{"ENABLE_POSTGREY", "ENABLE_FETCHMAIL", "FETCHMAIL_POLL", "ENABLE_GETMAIL", "GETMAIL_POLL", "ENABLE_POLICYD_SPF", "SSL_TYPE", "ENABLE_FAIL2BAN",
                "POSTMASTER_ADDRESS", "TRUSTED_NETWORKS", "ENABLE_SRS", "ENABLE_QUOTAS"}) {
            assertFalse(list.all().containsKey(supported), supported);
        }
    }

    @Test
    void theMigrationPageListsEveryUnsupportedVariable() throws Exception {
        Path page = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("docker-mailserver-migration.md");
        String text = Files.readString(page);
        for (String name : UnsupportedVariables.shipped().all().keySet()) {
            assertTrue(text.contains("`" + name + "`"), name + " is not listed in " + page);
        }
    }
}
