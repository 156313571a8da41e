package io.mailfleet.server.scan;

import io.mailfleet.protocols.smtp.check.CheckResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rspamd's answers the end-to-end test cannot make a stock Rspamd give on demand (soft reject, rewrite
 * subject) and its garbage: each action's reply or header fields, and a failure for anything else.
 */
class RspamdVerdictTest {

    private static String answer(String action, double score) {
        return "{\"is_skipped\":false,\"score\":" + score + ",\"required_score\":15.0,\"action\":\"" + action
                + "\",\"symbols\":{\"A\":{\"name\":\"A\",\"score\":0.5},\"B\\r\\nX-Evil: 1\":{\"score\":3.0}}}";
    }

    @Test
    void eachActionGetsItsReplyOrFields() {
        assertEquals("554 5.7.1 Spam message rejected",
                ((CheckResult.Refuse) RspamdScanner.verdict(200, answer("reject", 16)).result()).reply().line());
        assertEquals("451 4.7.1 Try again later",
                ((CheckResult.Refuse) RspamdScanner.verdict(200, answer("soft reject", 9)).result()).reply().line());
        assertEquals("451 4.7.1 Greylisted, please try again later",
                ((CheckResult.Refuse) RspamdScanner.verdict(200, answer("greylist", 4)).result()).reply().line());
        String fields = ((CheckResult.Note) RspamdScanner.verdict(200, answer("rewrite subject", 7)).result()).traceFields();
        // the highest weight first; a symbol name cannot smuggle a header line in
        assertEquals("X-Spam: Yes\r\nX-Spamd-Result: default: True [7 / 15];\r\n\tBX-Evil:1(3);\r\n\tA(0.5)\r\n"
                + "X-Rspamd-Action: rewrite subject\r\n", fields);
        assertTrue(((CheckResult.Note) RspamdScanner.verdict(200, answer("no action", 0.2)).result()).traceFields()
                .startsWith("X-Spamd-Result: default: False [0.2 / 15]"));
    }

    @Test
    void garbageIsAFailure() {
        for (String[] bad : new String[][] {{"500", answer("reject", 16)}, {"200", "<html>"}, {"200", "{}"},
                {"200", answer("quarantine", 3)}, {"200", "{\"action\":\"reject\",\"score\":\"high\"}"}}) {
            ScanFailure f = assertThrows(ScanFailure.class, () -> RspamdScanner.verdict(Integer.parseInt(bad[0]), bad[1]));
            assertEquals(ScanFailure.Kind.ERROR, f.kind());
        }
    }
}
