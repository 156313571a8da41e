package io.mailfleet.testkit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExternalToolTest {

    @Test
    void findsAProgramOnThePath() {
        assertNotNull(ExternalTool.require("sh", "dash"));
        assertEquals("/bin/sh", ExternalTool.require("/bin/sh", "dash").toString());
    }

    @Test
    void aMissingToolFailsNamingThePackageAndTheInstallScript() {
        assertNull(ExternalTool.find("no-such-tool-mailfleet"));
        AssertionError e = assertThrows(AssertionError.class,
                () -> ExternalTool.require("no-such-tool-mailfleet", "mailfleet-nothing"));
        assertTrue(e.getMessage().contains("mailfleet-nothing"), e.getMessage());
        assertTrue(e.getMessage().contains("install-test-tools.sh"), e.getMessage());
    }
}
