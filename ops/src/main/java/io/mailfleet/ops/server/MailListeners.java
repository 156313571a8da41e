package io.mailfleet.ops.server;

import io.mailfleet.ops.config.Settings;
import io.mailfleet.protocols.imap.ImapServer;
import io.mailfleet.protocols.imap.ImapServices;
import io.mailfleet.protocols.imap.ImapSettings;
import io.mailfleet.protocols.netty.Cidr;
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

    /** Starts every enabled listener; on a bind failure stops what was started and rethrows. */
    public static MailListeners start(Settings s, SmtpServices smtp, ImapServices imap) {
        MailListeners l = new MailListeners();
        try {
            l.smtp(s, smtp, SmtpMode.MX, s.smtp().port(), "smtp (MX, STARTTLS " + tlsWord(smtp) + ")");
            l.smtp(s, smtp, SmtpMode.SUBMISSION, s.smtp().submissionPort(), smtp.tls().enabled()
                    ? "submission (STARTTLS required before AUTH)" : "submission (TLS off: AUTH in clear text)");
            if (smtp.tls().enabled()) {
                l.smtp(s, smtp, SmtpMode.SUBMISSIONS, s.smtp().submissionsPort(), "submissions (implicit TLS)");
            } else {
                l.note("submissions port " + s.smtp().submissionsPort() + " not started: it needs TLS (set SSL_TYPE)");
            }
            if (s.imap().enabled()) {
                l.imap(s, imap, s.imap().port(), false, smtp.tls().enabled()
                        ? "imap (STARTTLS required before LOGIN)" : "imap (TLS off: LOGIN in clear text)");
                if (smtp.tls().enabled()) {
                    l.imap(s, imap, s.imap().tlsPort(), true, "imaps (implicit TLS)");
                } else {
                    l.note("imaps port " + s.imap().tlsPort() + " not started: it needs TLS (set SSL_TYPE)");
                }
            }
            if (s.pop3().enabled()) {
                l.note("pop3 ports " + s.pop3().port() + "/" + s.pop3().tlsPort() + " not started: POP3 is not implemented in this version");
            }
            if (s.manageSieve().enabled()) {
                l.note("managesieve port " + s.manageSieve().port() + " not started: ManageSieve is not implemented in this version");
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
        List<Cidr> trusted = s.smtp().trustedNetworks().stream().map(Cidr::parse).toList();
        SmtpSettings settings = new SmtpSettings(s.bindAddress(), port, mode, s.hostname(), size,
                s.smtp().maxRecipients(), s.smtp().hardErrorLimit(), s.smtp().idleTimeout(), s.smtp().smtputf8(),
                s.smtp().bareNewline() == io.mailfleet.ops.config.SmtpSettings.BareNewline.NORMALIZE
                        ? BareNewlinePolicy.NORMALIZE : BareNewlinePolicy.REJECT,
                s.smtp().spoofProtection(), trusted, s.smtp().recipientDelimiter(), s.postmasterAddress(),
                s.quotas().enabled(), s.quotas().defaultLimit());
        SmtpServer server = SmtpServer.start(settings, services);
        running.add(server);
        smtpPorts.put(mode, server.port());
        lines.add(String.format("listening: %-40s on %s:%d", what, s.bindAddress(), server.port()));
    }

    private void imap(Settings s, ImapServices services, int port, boolean implicitTls, String what) {
        ImapSettings settings = ImapSettings.defaults(port, implicitTls, s.hostname()).withBind(s.bindAddress(), port)
                .withQuotas(s.quotas().enabled(), s.quotas().defaultLimit());
        ImapServer server = ImapServer.start(settings, services);
        running.add(server);
        imapPorts.put(implicitTls, server.port());
        lines.add(String.format("listening: %-40s on %s:%d", what, s.bindAddress(), server.port()));
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
