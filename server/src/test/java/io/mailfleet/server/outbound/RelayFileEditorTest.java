package io.mailfleet.server.outbound;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The relay files as {@code ./mailfleet relay} and the web UI write them: the domain's line replaced, the rest kept. */
class RelayFileEditorTest {

    @TempDir
    Path dir;

    @Test
    void aDomainsLineIsReplacedOrAppendedAndOtherLinesStay() throws Exception {
        Files.writeString(dir.resolve(RelayFiles.RELAY_MAP), "# relays\n@other.example [smtp.other.example]:25\n"
                + "@Example.com [old.example]:25\n@example.com [dup.example]:25\n");
        RelayFileEditor editor = new RelayFileEditor(dir);
        RelayFileEditor.Written w = editor.addDomain("@EXAMPLE.com", "[192.0.2.7]", "587");
        assertEquals("mail from 'example.com' is relayed through [192.0.2.7]:587", w.meaning());
        assertEquals("# relays\n@other.example [smtp.other.example]:25\n@example.com\t\t[192.0.2.7]:587\n",
                Files.readString(w.file()), "one line for the domain, in the place of the first");
        editor.excludeDomain("new.example");
        assertTrue(Files.readString(w.file()).endsWith("@new.example\n"));
        editor.removeDomain("example.com");
        assertEquals("# relays\n@other.example [smtp.other.example]:25\n@new.example\n", Files.readString(w.file()));
        RelayFileEditor.Refused absent = assertThrows(RelayFileEditor.Refused.class, () -> editor.removeDomain("example.com"));
        assertEquals("'example.com' has no entry in " + w.file(), absent.getMessage());
    }

    @Test
    void theCliChecksAndMessagesApplyToEveryWriter() throws Exception {
        RelayFileEditor editor = new RelayFileEditor(dir);
        assertEquals("No domain specified", assertThrows(RelayFileEditor.Refused.class,
                () -> editor.addDomain(" ", "h", "25")).getMessage());
        assertEquals("Invalid domain 'a b': expected a domain name such as example.com",
                assertThrows(RelayFileEditor.Refused.class, () -> editor.excludeDomain("a b")).getMessage());
        assertEquals("Port must be a number (1-65535), not '70000'",
                assertThrows(RelayFileEditor.Refused.class, () -> editor.addDomain("example.com", "h", "70000")).getMessage());
        assertEquals("Invalid username 'a:b': it must not contain ':' or spaces",
                assertThrows(RelayFileEditor.Refused.class, () -> editor.addAuth("example.com", "a:b", "pw")).getMessage());
        RelayFileEditor.Refused lineBreak = assertThrows(RelayFileEditor.Refused.class,
                () -> editor.addAuth("example.com", "user", "pass\nword"));
        assertEquals("The password must not contain a line break", lineBreak.getMessage());
        assertFalse(lineBreak.showUsage(), "the CLI prints no usage for it, as before");
        assertFalse(Files.exists(dir.resolve(RelayFiles.SASL_PASSWORDS)), "nothing written when refused");

        assertEquals("@example.com", RelayFileEditor.credentialKey(" @Example.COM"));
        assertEquals("[192.0.2.7]:587", RelayFileEditor.credentialKey("[192.0.2.7]:587"));
        assertEquals("Port must be a number (1-65535), not 'x'", assertThrows(RelayFileEditor.Refused.class,
                () -> RelayFileEditor.credentialKey("[relay.example]:x")).getMessage());
        editor.addAuth("example.com", "user", "pass word");
        assertEquals("@example.com\t\tuser:pass word\n", Files.readString(dir.resolve(RelayFiles.SASL_PASSWORDS)));
        assertEquals("pass word", io.mailfleet.protocols.outbound.RelaySelector.parseSaslPasswordLine(
                Files.readString(dir.resolve(RelayFiles.SASL_PASSWORDS)).strip()).getValue().password(),
                "the delivery's reader takes what the editor wrote");
    }
}
