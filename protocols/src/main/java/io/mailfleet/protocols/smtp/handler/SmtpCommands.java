package io.mailfleet.protocols.smtp.handler;

import io.mailfleet.protocols.auth.LoginAttempts;
import io.mailfleet.protocols.smtp.command.CommandLine;

/**
 * The command handlers of one session and the dispatch of a command line to them. Created when the
 * connection becomes active; every call comes from the session on its event loop.
 */
public final class SmtpCommands {

    private final GreetingHandler greeting;
    private final HelloHandler hello;
    private final StartTlsHandler startTls;
    private final AuthHandler auth;
    private final MailHandler mail;
    private final RcptHandler rcpt;
    private final DataHandler data;
    private final BasicCommandsHandler basic;

    /** @param logins the login-failure policy applied to this connection's AUTH attempts */
    public SmtpCommands(SmtpContext session, LoginAttempts logins) {
        greeting = new GreetingHandler(session);
        hello = new HelloHandler(session);
        startTls = new StartTlsHandler(session);
        auth = new AuthHandler(session, logins);
        mail = new MailHandler(session);
        rcpt = new RcptHandler(session);
        data = new DataHandler(session);
        basic = new BasicCommandsHandler(session);
    }

    /** Sends the banner once the connect-stage checks let the client in (or closes). */
    public void greet() {
        greeting.greet();
    }

    /** Handles one command line. */
    public void dispatch(String line) {
        CommandLine command = CommandLine.parse(line);
        String arg = command.argument();
        switch (command.verb()) {
            case "EHLO" -> hello.hello(arg, true);
            case "HELO" -> hello.hello(arg, false);
            case "STARTTLS" -> startTls.startTls(arg);
            case "AUTH" -> auth.auth(arg);
            case "MAIL" -> mail.mail(arg);
            case "RCPT" -> rcpt.rcpt(arg);
            case "DATA" -> data.data(arg);
            case "BDAT" -> data.bdat(arg);
            case "RSET" -> basic.rset();
            case "NOOP" -> basic.noop();
            case "QUIT" -> basic.quit();
            case "HELP" -> basic.help();
            case "VRFY", "EXPN" -> basic.disabled(command.verb());
            case "" -> basic.empty();
            default -> basic.unknown();
        }
    }

    /** A response line of the AUTH exchange in progress. */
    public void authResponse(String line) {
        auth.respond(line);
    }

    /** A response line of the AUTH exchange in progress was over the line limit: the exchange ends refused. */
    public void authResponseTooLong() {
        auth.respondTooLong();
    }

    /** Forgets a SASL exchange in progress. */
    public void cancelAuth() {
        auth.cancel();
    }

    /** The connection is gone: releases what the handlers hold (the session registry lease). */
    public void connectionClosed() {
        auth.release();
    }
}
