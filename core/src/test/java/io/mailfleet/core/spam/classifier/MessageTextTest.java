package io.mailfleet.core.spam.classifier;

import io.mailfleet.core.mime.MessageParser;
import io.mailfleet.core.mime.MessageSummary;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The classifier's text of a message parsed once is the text of its own parse of the first octets. */
class MessageTextTest {

    private static final String HEAD = "From: Bob <bob@b.example>\r\nSubject: =?utf-8?q?gro=C3=9Fe?= offer\r\n"
            + "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
            + "cheap pills\r\n--b\r\nContent-Type: text/html\r\n\r\n<p>click <a href=\"http://x.example/\">here</a></p>\r\n"
            + "--b\r\nContent-Type: application/zip; name=a.zip\r\nContent-Transfer-Encoding: base64\r\n\r\n";

    @Test
    void aSmallMessage() throws Exception {
        byte[] m = (HEAD + "UEsDBA==\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
        MessageSummary once = MessageParser.parse(new ByteArrayInputStream(m));
        String text = MessageText.of(m, once);
        assertEquals(MessageText.of(m), text);
        assertTrue(text.contains("subject:große") && text.contains("cheap pills") && text.contains("attachment:application/zip"),
                text);
    }

    @Test
    void aMessageBiggerThanWhatTheClassifierReads() throws Exception {
        byte[] m = (HEAD + "UEsDBA==\r\n".repeat(60_000) + "--b\r\nContent-Type: text/plain\r\n\r\nlate words\r\n--b--\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertTrue(m.length > MessageText.MAX_BYTES);
        MessageSummary once = MessageParser.parse(new ByteArrayInputStream(m));
        long before = MessageParser.passes();
        String text = MessageText.of(Arrays.copyOf(m, MessageText.MAX_BYTES), once);
        assertEquals(before, MessageParser.passes(), "no parse of its own");
        assertEquals(MessageText.of(m), text);
        assertTrue(!text.contains("late words"), text);
    }
}
