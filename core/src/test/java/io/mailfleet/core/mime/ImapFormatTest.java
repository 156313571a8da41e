package io.mailfleet.core.mime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ImapFormatTest {

    @Test
    void quotedStringsEscapeQuotesAndBackslashes() {
        assertEquals("NIL", ImapFormat.nstring(null));
        assertEquals("\"\"", ImapFormat.nstring(""));
        assertEquals("\"a \\\"b\\\" \\\\ c\"", ImapFormat.nstring("a \"b\" \\ c"));
    }

    @Test
    void literalsForLineBreaksEightBitAndLongStrings() {
        assertEquals("{4}\r\na\r\nb", ImapFormat.nstring("a\r\nb"));
        assertEquals("{3}\r\nx\u00e9", ImapFormat.nstring("x\u00e9"));
        String longValue = "y".repeat(1001);
        assertEquals("{1001}\r\n" + longValue, ImapFormat.nstring(longValue));
        assertEquals("\"" + "y".repeat(1000) + "\"", ImapFormat.nstring("y".repeat(1000)));
    }

    @Test
    void nonTextLeafWithoutParamsHasNilParamsAndNoLineCount() {
        MessageSummary m = Msg.parse(Msg.crlf("Content-Type: Application/X-Thing\nContent-Location: a b\n\nxx\n"));
        assertEquals("(\"Application\" \"X-Thing\" NIL NIL NIL \"7bit\" 4 NIL NIL NIL \"a b\")",
                ImapFormat.bodyStructure(m.body()));
    }

    @Test
    void textWithParamsButNoCharsetGetsNoDefaultCharset() {
        MessageSummary m = Msg.parse(Msg.crlf("Content-Type: text/plain; format=flowed; DelSp=Yes\n\nxx\n"));
        assertEquals("(\"text\" \"plain\" (\"format\" \"flowed\" \"delsp\" \"Yes\") NIL NIL \"7bit\" 4 1)",
                ImapFormat.body(m.body()));
    }
}
