package io.mailfleet.protocols.smtp.command;

import io.mailfleet.protocols.smtp.BareNewlinePolicy;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.SmtpSettings;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmtpCommandParserTest {

    private static SmtpSettings settings(SmtpMode mode, boolean smtpUtf8) {
        return new SmtpSettings("127.0.0.1", 0, mode, "mail.example.com", 1000, 100, 20, Duration.ofSeconds(300),
                smtpUtf8, BareNewlinePolicy.REJECT, false, List.of(), "+", null, false, 0);
    }

    private static final SmtpSettings MX = settings(SmtpMode.MX, false);
    private static final SmtpSettings SUBMISSION = settings(SmtpMode.SUBMISSION, true);

    @SuppressWarnings("unchecked")
    private static <T> T ok(Parsed<T> p) {
        assertInstanceOf(Parsed.Ok.class, p, () -> "refused: " + p);
        return ((Parsed.Ok<T>) p).request();
    }

    private static SmtpReply refused(Parsed<?> p) {
        return assertInstanceOf(Parsed.Refused.class, p, () -> "accepted: " + p).reply();
    }

    @Test
    void commandLineSplitsVerbAndArgument() {
        assertEquals(new CommandLine("MAIL", "FROM:<a@b>"), CommandLine.parse("mail  FROM:<a@b> "));
        assertEquals(new CommandLine("NOOP", ""), CommandLine.parse("noop"));
        assertEquals(new CommandLine("", ""), CommandLine.parse(""));
    }

    @Test
    void mailParametersAreJudgedInTheOrderSent() {
        MailRequest r = ok(SmtpCommandParser.mail("FROM:<a@example.org> SIZE=10 BODY=8bitmime SMTPUTF8 RET=hdrs "
                + "ENVID=x1 AUTH=<>", SUBMISSION));
        assertEquals(new MailRequest("a@example.org", "8BITMIME", true, "HDRS", "x1", 10), r);
        assertEquals(new MailRequest("", "7BIT", false, null, null), ok(SmtpCommandParser.mail("FROM:<>", MX)));
        // the first bad parameter is the one answered
        assertEquals("555 5.5.4 Unsupported option: SMTPUTF8",
                refused(SmtpCommandParser.mail("FROM:<a@b.org> SMTPUTF8 BODY=9BIT", MX)).line());
        assertEquals("501 5.5.4 Bad BODY keyword value",
                refused(SmtpCommandParser.mail("FROM:<a@b.org> BODY=9BIT SMTPUTF8", MX)).line());
        assertEquals("555 5.5.4 Unsupported option: RET", refused(SmtpCommandParser.mail("FROM:<a@b.org> RET=FULL", MX)).line());
        assertEquals("501 5.5.4 Bad ENVID parameter syntax",
                refused(SmtpCommandParser.mail("FROM:<a@b.org> ENVID=" + "x".repeat(101), SUBMISSION)).line());
        assertEquals("501 5.5.4 Syntax: MAIL FROM:<address>", refused(SmtpCommandParser.mail("FROM:a@b.org", MX)).line());
    }

    @Test
    void anOversizedDeclarationIsRefusedAndLogged() {
        Parsed<MailRequest> p = SmtpCommandParser.mail("FROM:<a@b.org> SIZE=1001", MX);
        Parsed.Refused<MailRequest> r = assertInstanceOf(Parsed.Refused.class, p);
        assertEquals("552 5.3.4 Message size exceeds fixed limit", r.reply().line());
        assertEquals("a@b.org", r.path());
        assertEquals("declared size 1001", r.logReason());
        assertNull(((Parsed.Refused<?>) SmtpCommandParser.mail("FROM:<a@b.org> SIZE=x", MX)).logReason());
        assertEquals("a@b.org", ok(SmtpCommandParser.mail("FROM:<a@b.org> SIZE=1000", MX)).sender());
    }

    @Test
    void rcptDsnParametersOnlyOnSubmission() {
        assertEquals(new RcptRequest("a@b.org", "SUCCESS,DELAY", "rfc822;x@y.org"),
                ok(SmtpCommandParser.rcpt("TO:<a@b.org> NOTIFY=success,delay ORCPT=rfc822;x@y.org", SUBMISSION)));
        assertEquals("555 5.5.4 Unsupported option: NOTIFY",
                refused(SmtpCommandParser.rcpt("TO:<a@b.org> NOTIFY=NEVER", MX)).line());
        assertEquals("501 5.5.4 Bad NOTIFY parameter syntax",
                refused(SmtpCommandParser.rcpt("TO:<a@b.org> NOTIFY=NEVER,SUCCESS", SUBMISSION)).line());
        assertEquals("501 5.5.4 Bad ORCPT parameter syntax",
                refused(SmtpCommandParser.rcpt("TO:<a@b.org> ORCPT=", SUBMISSION)).line());
        assertEquals("501 5.5.4 Syntax: RCPT TO:<address>", refused(SmtpCommandParser.rcpt("TO:<>", MX)).line());
    }

    @Test
    void bdatAuthAndHello() {
        assertEquals(new BdatRequest(0, true), ok(SmtpCommandParser.bdat("0 last")));
        assertEquals(new BdatRequest(42, false), ok(SmtpCommandParser.bdat("42")));
        for (String bad : List.of("", "-1", "x", "5 FIRST", "5 LAST more")) {
            assertEquals("501 5.5.4 Syntax: BDAT size [LAST]", refused(SmtpCommandParser.bdat(bad)).line(), bad);
        }
        assertEquals(new AuthRequest("PLAIN", "AGE="), ok(SmtpCommandParser.auth("plain AGE=")));
        assertEquals(new AuthRequest("LOGIN", null), ok(SmtpCommandParser.auth("login")));
        assertEquals("501 5.5.4 Syntax: AUTH mechanism [initial-response]", refused(SmtpCommandParser.auth("")).line());
        assertEquals("501 5.5.4 Syntax: EHLO hostname", refused(SmtpCommandParser.hello("a b", true)).line());
        assertEquals("501 5.5.4 Syntax: HELO hostname", refused(SmtpCommandParser.hello("", false)).line());
        assertTrue(SmtpCommandParser.validHeloName("client.example.org"));
        assertTrue(SmtpCommandParser.validHeloName("[192.0.2.1]"));
        assertTrue(SmtpCommandParser.validHeloName("[IPv6:2001:db8::1]"));
        assertFalse(SmtpCommandParser.validHeloName("bad_name!"));
    }
}
