package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderIndexTest {

    static final String HEADER = "Received: from a\r\n\tby b; Mon, 1 Jan 2024\r\n"
            + "From: Alice <a@x.org>\r\n"
            + "Subject: a long\r\n folded subject\r\n"
            + "junk line without colon\r\n"
            + "X-Spam: yes\r\n"
            + "subject: second\r\n"
            + "\r\n";

    private static String select(String header, List<String> names, boolean not) {
        return new String(HeaderIndex.select(header.getBytes(StandardCharsets.UTF_8), names, not), StandardCharsets.UTF_8);
    }

    @Test
    void fieldsKeepFoldedLinesOrderAndTheBlankLine() {
        assertEquals("Subject: a long\r\n folded subject\r\nsubject: second\r\n\r\n",
                select(HEADER, List.of("SUBJECT"), false));
        assertEquals("Received: from a\r\n\tby b; Mon, 1 Jan 2024\r\nFrom: Alice <a@x.org>\r\n\r\n",
                select(HEADER, List.of("from", "received"), false));
        assertEquals("\r\n", select(HEADER, List.of("Cc"), false));
    }

    @Test
    void fieldsNotDropTheNamedFields() {
        assertEquals("From: Alice <a@x.org>\r\nX-Spam: yes\r\n\r\n",
                select(HEADER, List.of("Subject", "Received"), true));
    }

    @Test
    void streamingStopsAtTheBlankLineOfAWholeMessage() throws IOException {
        byte[] raw = (HEADER + "Subject: not a header, body text\r\n").getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        HeaderIndex.select(new ByteArrayInputStream(raw), List.of("subject"), false, out);
        assertEquals("Subject: a long\r\n folded subject\r\nsubject: second\r\n\r\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void bareLfAndCutHeadersStayWellFormed() {
        assertEquals("To: b@y\n\r\n", select("From: a\nTo: b@y\n\nbody", List.of("to"), false));
        assertEquals("To: b@y\r\n\r\n", select("From: a\r\nTo: b@y", List.of("to"), false));
    }

    @Test
    void worksOnTheHeaderRangeOfAParsedMessage() {
        byte[] raw = Msg.crlf(DovecotReferenceTest.MESSAGE);
        MessageSummary m = Msg.parse(raw);
        Sections.Range r = Sections.range(m, "2", Sections.Kind.HEADER).orElseThrow();
        byte[] header = Msg.range(raw, r).getBytes(StandardCharsets.UTF_8);
        assertEquals("To: sub-to1@domain.org, sub-to2@domain.org\r\nSubject: submsg\r\n\r\n",
                new String(HeaderIndex.select(header, List.of("subject", "to"), false), StandardCharsets.UTF_8));
    }
}
