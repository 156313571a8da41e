package io.mailfleet.protocols.outbound;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The RFC 8689 §5 TLS-Required header field as the relay reads it from the stored message. */
class TlsRequiredFieldTest {

    private static boolean optsOut(String message) throws IOException {
        return TlsRequiredField.optsOut(new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void noInTheHeaderSectionOptsOutWhateverTheCaseAndFolding() throws IOException {
        assertTrue(optsOut("From: a@example.com\r\nTLS-Required: No\r\nSubject: x\r\n\r\nbody\r\n"));
        assertTrue(optsOut("tls-required:no\r\n\r\n"));
        assertTrue(optsOut("Subject: x\r\nTLS-Required:\r\n  NO \r\n\r\nbody"));
        assertTrue(optsOut("Subject: x\nTLS-Required: No"), "the last field without a line end");
    }

    @Test
    void otherValuesTheBodyAndLookAlikeFieldsDoNot() throws IOException {
        assertFalse(optsOut("TLS-Required: Yes\r\n\r\n"));
        assertFalse(optsOut("TLS-Required: No thanks\r\n\r\n"));
        assertFalse(optsOut("X-TLS-Required: No\r\n\r\n"));
        assertFalse(optsOut("Subject: x\r\n\r\nTLS-Required: No\r\n"), "a body line is not a header field");
        assertFalse(optsOut(""));
    }

    @Test
    void aHeaderSectionWithoutEndIsReadOnlyUpToTheBound() throws IOException {
        String huge = "X-Filler: " + "a".repeat(TlsRequiredField.MAX_HEADER) + "\r\nTLS-Required: No\r\n\r\n";
        assertFalse(optsOut(huge), "fields past the bound are not searched");
    }
}
