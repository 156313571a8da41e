package io.mailfleet.server;

import io.mailfleet.server.config.Settings;
import io.mailfleet.protocols.auth.LoginPolicy;
import io.mailfleet.protocols.smtp.postscreen.Postscreen;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.managesieve.ManageSieveServer;
import io.mailfleet.protocols.managesieve.ManageSieveServices;
import io.mailfleet.protocols.netty.Cidr;
import io.mailfleet.protocols.pop3.Pop3Server;
import io.mailfleet.protocols.pop3.Pop3Services;
import io.mailfleet.protocols.smtp.BareNewlinePolicy;
import io.mailfleet.protocols.smtp.SmtpMode;
import io.mailfleet.protocols.smtp.SmtpServer;
import io.mailfleet.protocols.smtp.SmtpServices;
import io.mailfleet.protocols.smtp.SmtpSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The mail listeners of one node, started from the settings and stopped before storage on shutdown.
 * Prints one line per listener so an operator sees at once what is reachable where.
 */
public final class MailListeners implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MailListeners.class);

    private final List<AutoCloseable> running = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final java.util.EnumMap<SmtpMode, Integer> smtpPorts = new java.util.EnumMap<>(SmtpMode.class);
    private final java.util.Map<Boolean, Integer> imapPorts = new java.util.HashMap<>();
    private final java.util.Map<Boolean, ImapSettings> imapSettings = new java.util.HashMap<>();
    private final java.util.Map<String, Integer> otherPorts = new java.util.HashMap<>();
    private final List<io.netty.channel.group.ChannelGroup> connections = new ArrayList<>();
    private final LoginPolicy logins;

    /** The pregreet test of the MX listener and its cache of passed clients (cluster-wide). */
    private final Postscreen postscreen;

    private MailListeners(LoginPolicy logins, Postscreen postscreen) {
        this.logins = logins;
        this.postscreen = postscreen;
    }

    /** Starts every enabled listener; on a bind failure stops what was started and rethrows. */
    public static MailListeners start(Settings s, SmtpServices smtp, ImapServices imap, Pop3Services pop3,
                                      ManageSieveServices sieve, AcceptGuards guards, LoginPolicy logins,
                                      SmtpListenerChecks checks) {
        MailListeners l = new MailListeners(logins, new Postscreen(s.postscreen(), checks.passes(), checks.refusals(),
                checks.onGreetWait()));
        try {
            l.smtp(s, guarded(smtp, guards, "smtp").withChecks(checks.mx().then(smtp.checks())), SmtpMode.MX, s.smtp().port(),
                    "smtp (MX, STARTTLS " + tlsWord(smtp) + ")");
            l.smtp(s, guarded(smtp, guards, "submission").withChecks(checks.submission().then(smtp.checks())), SmtpMode.SUBMISSION,
                    s.smtp().submissionPort(), smtp.tls().enabled() ? "submission (STARTTLS required before AUTH)"
                            : "submission (TLS off: AUTH in clear text)");
            if (smtp.tls().enabled()) {
                l.smtp(s, guarded(smtp, guards, "submissions").withChecks(checks.submission().then(smtp.checks())), SmtpMode.SUBMISSIONS,
                        s.smtp().submissionsPort(),
                        "submissions (implicit TLS)");
            } else {
                l.note("submissions port " + s.smtp().submissionsPort() + " not started: it needs TLS (set SSL_TYPE)");
            }
            if (s.imap().enabled()) {
                l.imap(s, guarded(imap, guards, "imap"), s.imap().port(), false, smtp.tls().enabled()
                        ? "imap (STARTTLS required before LOGIN)" : "imap (TLS off: LOGIN in clear text)");
                if (smtp.tls().enabled()) {
                    l.imap(s, guarded(imap, guards, "imaps"), s.imap().tlsPort(), true, "imaps (implicit TLS)");
                } else {
                    l.note("imaps port " + s.imap().tlsPort() + " not started: it needs TLS (set SSL_TYPE)");
                }
            }
            if (s.pop3().enabled()) {
                l.pop3(s, guarded(pop3, guards, "pop3"), s.pop3().port(), false, pop3.tls().enabled()
                        ? "pop3 (STLS required before USER/AUTH)" : "pop3 (TLS off: USER/PASS in clear text)");
                if (pop3.tls().enabled()) {
                    l.pop3(s, guarded(pop3, guards, "pop3s"), s.pop3().tlsPort(), true, "pop3s (implicit TLS)");
                } else {
                    l.note("pop3s port " + s.pop3().tlsPort() + " not started: it needs TLS (set SSL_TYPE)");
                }
            }
            if (s.manageSieve().enabled()) {
                int port = s.manageSieve().port();
                ManageSieveServer ms = ManageSieveServer.start(io.mailfleet.protocols.managesieve.ManageSieveSettings
                        .defaults(port, s.hostname()).withBind(s.listen().mailbox(), port),
                        new ManageSieveServices(sieve.authenticator(), sieve.scripts(), sieve.tls(),
                                guards.forListener("managesieve"), sieve.sessions()), logins);
                l.running.add(ms);
                l.connections.add(ms.connections());
                l.otherPorts.put("managesieve", ms.port());
                l.lines.add(String.format("listening: %-40s on %s:%d", sieve.tls().enabled()
                        ? "managesieve (STARTTLS)" : "managesieve (TLS off)", s.listen().mailbox(), ms.port()));
            }
        } catch (RuntimeException e) {
            l.close();
            throw e;
        }
        return l;
    }

    private static String tlsWord(SmtpServices smtp) {
        return smtp.tls().enabled() ? "offered" : "off";
    }

    private void smtp(Settings s, SmtpServices services, SmtpMode mode, int port, String what) {
        long size = s.smtp().messageSizeLimit() == 0 ? Long.MAX_VALUE : s.smtp().messageSizeLimit();
        List<Cidr> trusted = s.smtp().effectiveTrustedNetworks().stream().map(Cidr::parse).toList();
        SmtpSettings settings = new SmtpSettings(s.listen().smtp(), port, mode, s.hostname(), size,
                s.smtp().maxRecipients(), s.smtp().hardErrorLimit(), s.smtp().idleTimeout(), s.smtp().smtputf8(),
                s.smtp().bareNewline() == io.mailfleet.server.config.SmtpSettings.BareNewline.NORMALIZE
                        ? BareNewlinePolicy.NORMALIZE : BareNewlinePolicy.REJECT,
                s.smtp().spoofProtection(), trusted, s.smtp().recipientDelimiter(), s.postmasterAddress(),
                s.quotas().enabled(), s.quotas().defaultLimit());
        SmtpServer server = SmtpServer.start(settings, services, s.smtp().clientConnectionLimit(), logins, postscreen);
        running.add(server);
        connections.add(server.connections());
        smtpPorts.put(mode, server.port());
        lines.add(String.format("listening: %-40s on %s:%d", what, s.listen().smtp(), server.port()));
    }

    private static SmtpServices guarded(SmtpServices smtp, AcceptGuards guards, String listener) {
        return new SmtpServices(smtp.directory(), smtp.authenticator(), smtp.blobs(), smtp.queue(), smtp.usage(),
                smtp.tls(), guards.forListener(listener), smtp.srsBounces(), smtp.sessions(), smtp.headerLimits(),
                smtp.checks());
    }

    private static ImapServices guarded(ImapServices i, AcceptGuards guards, String listener) {
        return new ImapServices(i.authenticator(), i.mailboxes(), i.blobs(), i.directory(), i.tls(),
                guards.forListener(listener), i.sessions(), i.headerLimits(), i.heavyWork());
    }

    private static Pop3Services guarded(Pop3Services p, AcceptGuards guards, String listener) {
        return new Pop3Services(p.authenticator(), p.mailboxes(), p.blobs(), p.lock(), p.tls(),
                guards.forListener(listener), p.sessions());
    }

    private void pop3(Settings s, Pop3Services services, int port, boolean implicitTls, String what) {
        Pop3Server server = Pop3Server.start(io.mailfleet.protocols.pop3.Pop3Settings
                .defaults(port, implicitTls, s.hostname()).withBind(s.listen().mailbox(), port)
                .withMaxConnectionsPerUserIp(s.pop3().maxUserIpConnections()), services, logins);
        running.add(server);
        connections.add(server.connections());
        otherPorts.put(implicitTls ? "pop3s" : "pop3", server.port());
        lines.add(String.format("listening: %-40s on %s:%d", what, s.listen().mailbox(), server.port()));
    }

    /** Bound ports of the POP3 and ManageSieve listeners by name ({@code pop3}, {@code pop3s}, {@code managesieve}). */
    public java.util.Map<String, Integer> otherPorts() {
        return java.util.Collections.unmodifiableMap(otherPorts);
    }

    private void imap(Settings s, ImapServices services, int port, boolean implicitTls, String what) {
        ImapSettings settings = ImapSettings.defaults(port, implicitTls, s.hostname()).withBind(s.listen().mailbox(), port)
                .withQuotas(s.quotas().enabled(), s.quotas().defaultLimit())
                .withMaxConnectionsPerUserIp(s.imap().maxUserIpConnections())
                .withAuthCacheTtl(s.imap().authCacheTtl()).withUtf8Accept(s.imap().utf8Accept());
        ImapServer server = ImapServer.start(settings, services, logins);
        running.add(server);
        connections.add(server.connections());
        imapPorts.put(implicitTls, server.port());
        imapSettings.put(implicitTls, settings);
        lines.add(String.format("listening: %-40s on %s:%d", what, s.listen().mailbox(), server.port()));
    }

    /** The settings each IMAP listener runs with: key true = implicit TLS (993), false = 143. */
    public java.util.Map<Boolean, ImapSettings> imapSettings() {
        return java.util.Collections.unmodifiableMap(imapSettings);
    }

    /** The bound IMAP ports: key true = implicit TLS (993), false = 143. */
    public java.util.Map<Boolean, Integer> imapPorts() {
        return java.util.Collections.unmodifiableMap(imapPorts);
    }

    private void note(String line) {
        lines.add(line);
        LOG.warn(line);
    }

    /** The bound port of each SMTP listener (useful when configured as 0). */
    public java.util.Map<SmtpMode, Integer> smtpPorts() {
        return java.util.Collections.unmodifiableMap(smtpPorts);
    }

    /** The open connections of every listener, e.g. to close those of a banned client. */
    public List<io.netty.channel.group.ChannelGroup> connections() {
        return List.copyOf(connections);
    }

    /** The start-up lines, one per listener. */
    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        for (int i = running.size() - 1; i >= 0; i--) {
            try {
                running.get(i).close();
            } catch (Exception e) {
                LOG.warn("stopping a listener failed: {}", e.toString());
            }
        }
        running.clear();
    }
}
