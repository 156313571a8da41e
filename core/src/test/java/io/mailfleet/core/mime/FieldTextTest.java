package io.mailfleet.core.mime;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FieldTextTest {

    @Test
    void aCommentCannotBeClosedEarlyNorEndTheField() {
        assertEquals("a \\(b\\) \\\\ c; x=y", FieldText.comment("a (b) \\ c;\r\n x=y"));
    }

    @Test
    void anAsciiCommentDropsWhatIsNotAscii() {
        assertEquals("caf tre", FieldText.asciiComment("café\u007f être"));
        assertEquals("café être", FieldText.comment("café\u007f être"));
    }

    @Test
    void aQuotedValueStaysOneValue() {
        assertEquals("\"a\\\"; b=\\\\c\"", FieldText.quoted("a\"; b=\\c\r\n"));
        assertEquals("\"\"", FieldText.quoted(""));
    }
}
