package io.mailfleet.server.scan;

import io.mailfleet.core.blob.BlobStore;
import io.mailfleet.protocols.smtp.SmtpReply;
import io.mailfleet.protocols.smtp.check.CheckResult;
import io.mailfleet.protocols.smtp.check.EnvelopeChange;
import io.mailfleet.protocols.smtp.check.MessageAttempt;
import io.mailfleet.protocols.smtp.check.MessageStart;
import io.mailfleet.server.config.MilterSettings;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One message told to one milter, as Postfix's milter8 does at the end of data: option negotiation
 * (version 6), connect, HELO, MAIL, each RCPT, DATA, the header fields, end of header, the body in
 * chunks of at most 65535 octets read from the blob (never the whole message in memory), end of
 * message; then the milter's modifications and final answer, as a {@link ScanVerdict}.
 *
 * <p>Offered actions: add, insert, change and delete header fields, replace the body, quarantine (the
 * message gets {@code X-Spam-Flag: YES}: Junk). Added fields alone are prepended above our
 * {@code Received:}; a change, an insertion below the top or a new body makes a rewritten copy of the
 * message. Envelope changes ({@code addrcpt}, {@code addrcpt_par}, {@code delrcpt}, {@code chgfrom}) are
 * facts of the verdict ({@link EnvelopeChange}): this milter read the envelope as received, and the
 * changes of every milter are applied in order when the message is queued, as Postfix does.
 */
final class MilterConversation {

    static final int VERSION = 6;

    static final int SMFIF_ADDHDRS = 0x01;
    static final int SMFIF_CHGBODY = 0x02;
    static final int SMFIF_ADDRCPT = 0x04;
    static final int SMFIF_DELRCPT = 0x08;
    static final int SMFIF_CHGHDRS = 0x10;
    static final int SMFIF_QUARANTINE = 0x20;
    static final int SMFIF_CHGFROM = 0x40;
    static final int SMFIF_ADDRCPT_PAR = 0x80;
    static final int SMFIF_SETSYMLIST = 0x100;
    static final int OFFERED_ACTIONS = SMFIF_ADDHDRS | SMFIF_CHGBODY | SMFIF_ADDRCPT | SMFIF_DELRCPT | SMFIF_CHGHDRS
            | SMFIF_QUARANTINE | SMFIF_CHGFROM | SMFIF_ADDRCPT_PAR | SMFIF_SETSYMLIST;
    /** Recipients one milter may add to a message (Postfix's {@code smtpd_recipient_limit} default). */
    static final int MAX_ADDED_RECIPIENTS = 1000;
    private static final int SHOWN_CHANGES = 20;

    static final int NOCONNECT = 0x1;
    static final int NOHELO = 0x2;
    static final int NOMAIL = 0x4;
    static final int NORCPT = 0x8;
    static final int NOBODY = 0x10;
    static final int NOHDRS = 0x20;
    static final int NOEOH = 0x40;
    static final int NR_HDR = 0x80;
    static final int NODATA = 0x200;
    static final int SKIP = 0x400;
    static final int NR_CONN = 0x1000;
    static final int NR_HELO = 0x2000;
    static final int NR_MAIL = 0x4000;
    static final int NR_RCPT = 0x8000;
    static final int NR_DATA = 0x10000;
    static final int NR_EOH = 0x40000;
    static final int NR_BODY = 0x80000;
    static final int HDR_LEADSPC = 0x100000;
    static final int RCPT_REJ = 0x800;
    /** Every step may be left out or left unanswered; rejected recipients are never sent. */
    static final int OFFERED_PROTOCOL = 0x1FFFFF & ~RCPT_REJ;

    static final int CHUNK = 65535;
    private static final int MAX_HEADER_SECTION = 4 * 1024 * 1024;
    private static final Pattern REPLY = Pattern.compile("([45]\\d\\d)(?:[ -]([45]\\.\\d{1,3}\\.\\d{1,3}))? ?(.*)",
            Pattern.DOTALL);
    private static final Pattern FIELD_NAME = Pattern.compile("[\\x21-\\x39\\x3b-\\x7e]{1,100}");

    private final SocketChannel ch;
    private final BlobStore blobs;
    private final MessageAttempt attempt;
    private final MessageStart start;
    private final String hostname;
    private final MilterSettings.Milter milter;
    private final MilterScanner.Deadline deadline;
    private int protocol;
    private int version;

    MilterConversation(SocketChannel ch, BlobStore blobs, MessageAttempt attempt, String hostname,
                       MilterSettings.Milter milter, MilterScanner.Deadline deadline) {
        this.ch = ch;
        this.blobs = blobs;
        this.attempt = attempt;
        this.start = attempt.start();
        this.hostname = hostname;
        this.milter = milter;
        this.deadline = deadline;
    }

    /** The final answer of a step: go on (null) or the verdict that ends the conversation. */
    ScanVerdict run() throws IOException {
        try {
            negotiate();
            ScanVerdict v = envelope();
            return v != null ? v : content();
        } finally {
            try {
                MilterPacket.write(ch, 'Q', new byte[0]);
            } catch (IOException ignored) {
                // the milter is gone already; nothing to say goodbye to
            }
        }
    }

    private void negotiate() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(12).putInt(VERSION).putInt(OFFERED_ACTIONS).putInt(OFFERED_PROTOCOL);
        MilterPacket.write(ch, 'O', b.array());
        MilterPacket r = reply("option negotiation", milter.commandTimeout());
        if (r.command() != 'O') {
            throw MilterPacket.garbage("'" + r.printable() + "' to option negotiation");
        }
        version = r.intAt(0);
        int actions = r.intAt(4);
        protocol = r.intAt(8);
        if (version < 2 || version > VERSION) {
            throw MilterPacket.garbage("protocol version " + version + " (2 to 6 are spoken)");
        }
        if ((actions & ~OFFERED_ACTIONS) != 0) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, String.format(
                    "milter needs actions 0x%x; offered 0x%x", actions,
                    OFFERED_ACTIONS), null);
        }
        if ((protocol & ~OFFERED_PROTOCOL) != 0) {
            throw new ScanFailure(ScanFailure.Kind.ERROR, String.format(
                    "milter needs protocol steps 0x%x; offered 0x%x", protocol, OFFERED_PROTOCOL), null);
        }
    }

    private ScanVerdict envelope() throws IOException {
        String ip = start.client().remoteAddress() != null ? start.client().remoteAddress().getHostAddress()
                : start.client().remoteIp();
        macros('C', "j", hostname, "{daemon_name}", "mailfleet", "{client_addr}", ip);
        if (!on(NOCONNECT)) {
            ByteArrayOutputStream c = new ByteArrayOutputStream();
            c.writeBytes(MilterPacket.strings("[" + ip + "]"));
            if (start.client().remoteAddress() == null) {
                c.write('U');
            } else {
                c.write(start.client().remoteAddress() instanceof Inet6Address ? '6' : '4');
                c.write(0);
                c.write(0); // the client's port is not known here
                c.writeBytes(MilterPacket.strings(ip));
            }
            ScanVerdict v = step('C', c.toByteArray(), NR_CONN, "connect");
            if (v != null) {
                return v;
            }
        }
        if (!on(NOHELO) && start.client().helo() != null) {
            ScanVerdict v = step('H', MilterPacket.strings(start.client().helo()), NR_HELO, "HELO");
            if (v != null) {
                return v;
            }
        }
        List<String> mailMacros = new ArrayList<>(List.of("i", start.transactionId(), "{mail_addr}", start.sender()));
        if (start.client().login() != null) {
            mailMacros.addAll(List.of("{auth_authen}", start.client().login(), "{auth_type}", "PLAIN"));
        }
        macros('M', mailMacros.toArray(String[]::new));
        if (!on(NOMAIL)) {
            ScanVerdict v = step('M', MilterPacket.strings("<" + start.sender() + ">"), NR_MAIL, "MAIL");
            if (v != null) {
                return v;
            }
        }
        if (!on(NORCPT)) {
            for (String rcpt : start.recipients()) {
                macros('R', "{rcpt_addr}", rcpt);
                ScanVerdict v = step('R', MilterPacket.strings("<" + rcpt + ">"), NR_RCPT, "RCPT");
                if (v != null) {
                    return v;
                }
            }
        }
        if (version >= 4 && !on(NODATA)) {
            return step('T', new byte[0], NR_DATA, "DATA");
        }
        return null;
    }

    private ScanVerdict content() throws IOException {
        try (InputStream in = new BufferedInputStream(blobs.open(attempt.message()), CHUNK)) {
            ScanVerdict v = headers(in);
            if (v != null) {
                return v;
            }
            if (!on(NOEOH)) {
                v = step('N', new byte[0], NR_EOH, "end of header");
                if (v != null) {
                    return v;
                }
            }
            if (!on(NOBODY)) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buf, 0, CHUNK)) > 0) {
                    MilterPacket.write(ch, 'B', buf, n);
                    if (on(NR_BODY)) {
                        continue;
                    }
                    MilterPacket r = reply("body", milter.commandTimeout());
                    if (r.command() == 's') {
                        break;
                    }
                    v = decided(r, "body");
                    if (v != null) {
                        return v;
                    }
                }
            }
        }
        MilterPacket.write(ch, 'E', new byte[0]);
        return endOfMessage();
    }

    /** Sends each header field of the stored message; its folds as LF, as Postfix does. */
    private ScanVerdict headers(InputStream in) throws IOException {
        int total = 0;
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        while (true) {
            byte[] line = line(in);
            total += line.length;
            if (total > MAX_HEADER_SECTION) {
                throw new ScanFailure(ScanFailure.Kind.ERROR, "header section over " + MAX_HEADER_SECTION
                        + " octets: not passed to the milter", null);
            }
            boolean end = line.length == 0 || isBlank(line);
            boolean fold = !end && (line[0] == ' ' || line[0] == '\t');
            if (fold && field.size() > 0) {
                field.write('\n');
                field.writeBytes(trimEol(line));
                continue;
            }
            if (field.size() > 0) {
                ScanVerdict v = header(field.toString(StandardCharsets.UTF_8));
                if (v != null) {
                    return v;
                }
                field.reset();
            }
            if (end) {
                return null;
            }
            field.writeBytes(trimEol(line));
        }
    }

    private ScanVerdict header(String field) throws IOException {
        if (on(NOHDRS)) {
            return null;
        }
        int colon = field.indexOf(':');
        if (colon <= 0) {
            return null; // not a header field: nothing a milter could name
        }
        String value = field.substring(colon + 1);
        if (!on(HDR_LEADSPC)) {
            value = value.stripLeading();
        }
        return step('L', MilterPacket.strings(field.substring(0, colon).strip(), value), NR_HDR, "header");
    }

    private static byte[] line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                break;
            }
            if (b.size() > MAX_HEADER_SECTION) {
                throw new ScanFailure(ScanFailure.Kind.ERROR, "header line too long for the milter", null);
            }
        }
        return b.toByteArray();
    }

    private static boolean isBlank(byte[] line) {
        return line.length <= 2 && (line[0] == '\r' || line[0] == '\n');
    }

    private static byte[] trimEol(byte[] line) {
        int n = line.length;
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) {
            n--;
        }
        return java.util.Arrays.copyOf(line, n);
    }

    /** One header change a milter asked for: {@code h} add, {@code i} insert at, {@code m} change the index-th. */
    private record HeaderChange(char kind, int index, String name, String value) {
    }

    /** The modifications and the final answer to the end of the message. */
    private ScanVerdict endOfMessage() throws IOException {
        List<HeaderChange> changes = new ArrayList<>();
        List<String> done = new ArrayList<>();
        List<Object> envelope = new ArrayList<>();
        List<String> ignoredArgs = new ArrayList<>();
        int added = 0;
        int unshown = 0;
        boolean quarantine = false;
        boolean rewrite = false;
        io.mailfleet.core.blob.BlobWriter body = null;
        try {
            while (true) {
                MilterPacket r = reply("end of message", milter.contentTimeout());
                switch (r.command()) {
                    case 'h' -> {
                        List<String> s = r.strings(0);
                        field(s);
                        changes.add(new HeaderChange('h', 0, s.get(0), s.get(1)));
                        done.add("addheader " + s.get(0));
                    }
                    case 'i' -> {
                        int index = r.intAt(0);
                        List<String> s = r.strings(4);
                        field(s);
                        changes.add(new HeaderChange('i', index, s.get(0), s.get(1)));
                        rewrite |= index > 0;
                        done.add("insheader " + s.get(0));
                    }
                    case 'm' -> {
                        int index = r.intAt(0);
                        List<String> s = r.strings(4);
                        String value = s.size() > 1 ? s.get(1) : "";
                        if (s.isEmpty() || !FIELD_NAME.matcher(s.get(0)).matches()) {
                            throw MilterPacket.garbage("a header change without a valid name");
                        }
                        changes.add(new HeaderChange('m', index, s.get(0), value));
                        rewrite = true;
                        done.add((value.isEmpty() ? "delete " : "chgheader ") + s.get(0));
                    }
                    case 'b' -> {
                        if (body == null) {
                            body = blobs.create();
                            done.add("replbody");
                        }
                        body.write(ByteBuffer.wrap(r.data()));
                        rewrite = true;
                    }
                    case '+', '2', '-', 'e' -> {
                        EnvelopeChange c = MilterEnvelopeReply.read(r, ignoredArgs);
                        if (c instanceof EnvelopeChange.AddRecipient && ++added > MAX_ADDED_RECIPIENTS) {
                            throw MilterPacket.garbage("more than " + MAX_ADDED_RECIPIENTS + " added recipients");
                        }
                        envelope.add(c);
                        // the log line names the first changes only: a milter may send a thousand
                        if (envelope.size() <= SHOWN_CHANGES) {
                            done.add(MilterEnvelopeReply.shown(c));
                        } else {
                            unshown++;
                        }
                    }
                    case 'q' -> {
                        quarantine = true;
                        done.add("quarantine " + ClamdScanner.printable(String.join("", r.strings(0))));
                    }
                    case 'a', 'c' -> {
                        if (unshown > 0) {
                            done.add("and " + unshown + " more envelope changes");
                        }
                        if (!ignoredArgs.isEmpty()) {
                            done.add("ESMTP arguments ignored: " + String.join(" ", ignoredArgs));
                        }
                        String shown = done.isEmpty() ? "accept" : "accept " + done;
                        String spam = quarantine ? "X-Spam-Flag: YES\r\n" : "";
                        if (rewrite) {
                            CheckResult.Rewritten rw = rewritten(changes, body, spam);
                            return new ScanVerdict(new CheckResult.Rewritten(rw.message(), rw.size(), rw.traceFields(),
                                    envelope), shown);
                        }
                        StringBuilder fields = new StringBuilder();
                        for (HeaderChange c : changes) {
                            // without a rewrite, added and inserted fields go on top, above our Received:
                            String f = field(List.of(c.name(), c.value()));
                            if (c.kind() == 'i') {
                                fields.insert(0, f);
                            } else {
                                fields.append(f);
                            }
                        }
                        fields.insert(0, spam);
                        return new ScanVerdict(fields.isEmpty() && envelope.isEmpty() ? CheckResult.ACCEPT
                                : new CheckResult.Note(fields.toString(), null, envelope), shown);
                    }
                    default -> {
                        return decided(r, "end of message");
                    }
                }
            }
        } finally {
            if (body != null) {
                body.close();
            }
        }
    }

    /**
     * The stored message with the milter's header changes applied in order and its body replaced when it
     * sent one, as a new blob: read and written in chunks, never whole in memory.
     */
    private CheckResult.Rewritten rewritten(List<HeaderChange> changes, io.mailfleet.core.blob.BlobWriter body,
                                            String spam) throws IOException {
        io.mailfleet.core.blob.BlobRef newBody = body == null ? null : body.commit().toCompletableFuture().join();
        io.mailfleet.core.blob.BlobWriter w = blobs.create();
        try (InputStream in = new BufferedInputStream(blobs.open(attempt.message()), CHUNK)) {
            List<String> fields = storedFields(in);
            for (HeaderChange c : changes) {
                // fields are kept as ISO-8859-1 text: one char per stored octet, so 8-bit fields pass unchanged
                String f = new String(field(List.of(c.name(), c.value())).getBytes(StandardCharsets.UTF_8),
                        StandardCharsets.ISO_8859_1);
                switch (c.kind()) {
                    case 'h' -> fields.add(f);
                    case 'i' -> fields.add(Math.max(0, Math.min(c.index(), fields.size())), f);
                    default -> change(fields, c, f);
                }
            }
            StringBuilder head = new StringBuilder();
            fields.forEach(head::append);
            head.append("\r\n");
            w.write(ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)));
            try (InputStream rest = newBody == null ? in : blobs.open(newBody)) {
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = rest.read(buf)) > 0) {
                    w.write(buf, 0, n);
                }
            }
            long size = w.size();
            return new CheckResult.Rewritten(w.commit().toCompletableFuture().join(), size, spam);
        } catch (IOException | RuntimeException e) {
            w.abort();
            throw e;
        }
    }

    /** Sendmail's chgheader: the index-th (from 1) field of that name changed, or deleted for an empty value. */
    private static void change(List<String> fields, HeaderChange c, String replacement) {
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
            String f = fields.get(i);
            int colon = f.indexOf(':');
            if (colon > 0 && f.substring(0, colon).strip().equalsIgnoreCase(c.name()) && ++seen == Math.max(1, c.index())) {
                if (c.value().isEmpty()) {
                    fields.remove(i);
                } else {
                    fields.set(i, replacement);
                }
                return;
            }
        }
        if (!c.value().isEmpty()) {
            fields.add(replacement); // no such field: sendmail adds it
        }
    }

    /** The stored header fields as they are (folds and CRLF kept); {@code in} is left at the body. */
    private static List<String> storedFields(InputStream in) throws IOException {
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int total = 0;
        while (true) {
            byte[] line = line(in);
            total += line.length;
            if (total > MAX_HEADER_SECTION) {
                throw new ScanFailure(ScanFailure.Kind.ERROR, "header section over " + MAX_HEADER_SECTION
                        + " octets: not rewritten", null);
            }
            boolean end = line.length == 0 || isBlank(line);
            if (!end && (line[0] == ' ' || line[0] == '\t') && field.length() > 0) {
                field.append(new String(line, StandardCharsets.ISO_8859_1));
                continue;
            }
            if (field.length() > 0) {
                fields.add(field.toString());
                field.setLength(0);
            }
            if (end) {
                return fields;
            }
            field.append(new String(line, StandardCharsets.ISO_8859_1));
        }
    }

    /** A header field a milter asked for, its folds as CRLF and never a bare line break. */
    private static String field(List<String> s) {
        if (s.size() < 2 || !FIELD_NAME.matcher(s.get(0)).matches()) {
            throw MilterPacket.garbage("a header field without a valid name");
        }
        String value = s.get(1).replace("\r\n", "\n").replace('\r', '\n').replaceAll("\n(?![ \t])", "\n\t")
                .replace("\n", "\r\n");
        // a value that starts with white space keeps it as the only one after the colon, as Postfix does
        return s.get(0) + ":" + (value.startsWith(" ") || value.startsWith("\t") ? "" : " ") + value + "\r\n";
    }

    /** Sends one step and reads its answer unless the milter said it gives none. */
    private ScanVerdict step(char command, byte[] data, int noReply, String name) throws IOException {
        MilterPacket.write(ch, command, data);
        if (on(noReply)) {
            return null;
        }
        return decided(reply(name, milter.commandTimeout()), name);
    }

    private MilterPacket reply(String step, java.time.Duration timeout) throws IOException {
        while (true) {
            deadline.arm(step, timeout);
            MilterPacket r = MilterPacket.read(ch);
            deadline.disarm();
            if (r.command() != 'p') {
                return r;
            }
        }
    }

    /** Null to go on (continue), else the verdict of an answer that ends the conversation. */
    private ScanVerdict decided(MilterPacket r, String step) {
        return switch (r.command()) {
            case 'c' -> null;
            case 'a' -> new ScanVerdict(CheckResult.ACCEPT, "accept at " + step);
            case 'r' -> refuse(new SmtpReply(550, "5.7.1", "Command rejected"), "reject at " + step);
            case 't' -> refuse(new SmtpReply(451, "4.7.1", "Service unavailable - try again later"),
                    "tempfail at " + step);
            // Postfix drops the message silently; refusing it tells the sender and loses nothing
            case 'd' -> refuse(new SmtpReply(554, "5.7.1", "Message discarded by content filter"),
                    "discard at " + step);
            case 'y' -> refuse(replyCode(r), "replycode at " + step);
            default -> throw MilterPacket.garbage("'" + r.printable() + "' to " + step);
        };
    }

    private static ScanVerdict refuse(SmtpReply reply, String verdict) {
        return new ScanVerdict(new CheckResult.Refuse(reply, "milter " + verdict), verdict);
    }

    /** SMFIR_REPLYCODE's text: a 4xx or 5xx code, an optional enhanced code, the text (first line). */
    private static SmtpReply replyCode(MilterPacket r) {
        String text = String.join("", r.strings(0)).strip();
        Matcher m = REPLY.matcher(text);
        if (!m.matches()) {
            throw MilterPacket.garbage("the reply code \"" + ClamdScanner.printable(text) + "\"");
        }
        int code = Integer.parseInt(m.group(1));
        String enhanced = m.group(2) != null ? m.group(2) : code >= 500 ? "5.7.1" : "4.7.1";
        String line = m.group(3).split("\r?\n", 2)[0].replaceAll("^\\d{3}[ -](\\d\\.\\d{1,3}\\.\\d{1,3} )?", "");
        return new SmtpReply(code, enhanced, ClamdScanner.printable(line.isBlank() ? "Command rejected" : line));
    }

    private void macros(char command, String... nameValues) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(command);
        b.writeBytes(MilterPacket.strings(nameValues));
        MilterPacket.write(ch, 'D', b.toByteArray());
    }

    private boolean on(int flag) {
        return (protocol & flag) != 0;
    }
}
