package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.smtp.SmtpReply;

/** RSET, NOOP, QUIT, HELP, the disabled VRFY and EXPN, and what is not a command. */
final class BasicCommandsHandler {

    private static final SmtpReply OK = new SmtpReply(250, "2.0.0", "Ok");

    private final SmtpContext s;

    BasicCommandsHandler(SmtpContext s) {
        this.s = s;
    }

    void rset() {
        s.resetTransaction("RSET");
        s.reply(OK);
    }

    void noop() {
        s.reply(OK);
    }

    void quit() {
        s.close(new SmtpReply(221, "2.0.0", "Bye"));
    }

    void help() {
        s.reply(new SmtpReply(214, "2.0.0", "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT HELP STARTTLS AUTH"));
    }

    /** VRFY and EXPN: disabled, as docker-mailserver's Postfix ({@code disable_vrfy_command}). */
    void disabled(String verb) {
        s.reply(new SmtpReply(502, "5.5.1", verb + " command is disabled"));
    }

    void empty() {
        s.reply(new SmtpReply(500, "5.5.2", "Error: bad syntax"));
    }

    void unknown() {
        s.reply(new SmtpReply(502, "5.5.2", "Error: command not recognized"));
    }
}
